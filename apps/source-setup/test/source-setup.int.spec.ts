import { randomBytes } from 'node:crypto';
import { Client, type ClientConfig } from 'pg';
import {
  LOCAL_STACK_HOST,
  localStackCredentialsPath,
  localStackStatePath,
  readLocalStackCredentials,
} from '@lakewall/kafka-connection';
import { heartbeatActionQuery, loadPlatformModel, tablesOf } from '@lakewall/platform-model';
import { setupSourceDatabase, type RoleSetup } from '@lakewall/source-setup';

/**
 * The setup this task runs, against the suite's own PostgreSQL (see jest.integration.config.js): run twice, the
 * second time with a new password, as a rotated secret would be.
 */
const model = loadPlatformModel();
const role = model.source.debeziumRole;
const schema = model.source.schema;
const heartbeat = model.source.heartbeat.table!;
const q = (id: string) => `"${id}"`;

const port = Number(process.env.LAKEWALL_PG_PORT);
const creds = readLocalStackCredentials(localStackCredentialsPath(localStackStatePath(process.env)));
const config = (user: string, password: string, database: string): ClientConfig => ({
  host: LOCAL_STACK_HOST,
  port,
  user,
  password,
  database,
});
const adminConnection = (database: string) => config('postgres', creds!.postgres.postgres!, database);

async function asRole<T>(password: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client(config(role, password, model.source.database));
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const sqlState = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code,
  );

describe('source setup on a real PostgreSQL', () => {
  const first = randomBytes(18).toString('base64url');
  const rotated = `${randomBytes(18).toString('base64url')}'q`;
  const logs: string[] = [];
  const run = (password: string) =>
    setupSourceDatabase([{ role, password, grants: 'cdc-source' } satisfies RoleSetup], {
      model,
      replication: 'attribute',
      adminConnection,
      log: (m) => logs.push(m),
    });

  beforeAll(async () => {
    expect(creds).toBeDefined();
    expect(port).not.toBe(15432);
    await run(first);
    // The second run converges (nothing to create) and applies the rotated password.
    await run(rotated);
  });

  it('logs steps and roles, never a password', () => {
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join('\n')).not.toContain(first);
    expect(logs.join('\n')).not.toContain(rotated);
    expect(logs.filter((l) => l.includes('alter role'))).toHaveLength(2);
  });

  it('lets the role log in with the current password only', async () => {
    await expect(asRole(rotated, (c) => c.query('SELECT 1'))).resolves.toBeDefined();
    await expect(asRole(first, (c) => c.query('SELECT 1'))).rejects.toThrow(/password authentication failed/);
  });

  it('gives the role replication (the attribute, locally) and lets it open a logical slot', async () => {
    const admin = new Client(adminConnection('postgres'));
    await admin.connect();
    try {
      const r = await admin.query(
        'SELECT rolreplication, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = $1',
        [role],
      );
      expect(r.rows).toEqual([
        { rolreplication: true, rolsuper: false, rolcreaterole: false, rolcreatedb: false },
      ]);
    } finally {
      await admin.end();
    }
    await asRole(rotated, async (c) => {
      // A temporary slot: dropped when the session ends.
      const slot = await c.query(
        "SELECT slot_name FROM pg_create_logical_replication_slot('lakewall_setup_it', 'pgoutput', true)",
      );
      expect(slot.rows).toEqual([{ slot_name: 'lakewall_setup_it' }]);
    });
  });

  it("lets the role read every model table and write none but the heartbeat table's one row", async () => {
    await asRole(rotated, async (c) => {
      for (const t of tablesOf(model)) {
        const table = `${q(schema)}.${q(t.name)}`;
        expect({ table: t.name, select: await sqlState(c.query(`SELECT * FROM ${table} LIMIT 1`)) }).toEqual({
          table: t.name,
          select: 'ok',
        });
        if (t.name === heartbeat) continue;
        const writes = {
          table: t.name,
          insert: await sqlState(c.query(`INSERT INTO ${table} DEFAULT VALUES`)),
          update: await sqlState(
            c.query(`UPDATE ${table} SET ${q(t.primaryKey[0]!)} = ${q(t.primaryKey[0]!)}`),
          ),
          delete: await sqlState(c.query(`DELETE FROM ${table}`)),
          truncate: await sqlState(c.query(`TRUNCATE ${table}`)),
        };
        // 42501: insufficient_privilege.
        expect(writes).toEqual({
          table: t.name,
          insert: '42501',
          update: '42501',
          delete: '42501',
          truncate: '42501',
        });
      }
      const upsert = heartbeatActionQuery(model)['heartbeat.action.query']!;
      expect(await sqlState(c.query(upsert))).toBe('ok');
      expect(await sqlState(c.query(upsert))).toBe('ok');
      const hb = `${q(schema)}.${q(heartbeat)}`;
      expect(await sqlState(c.query(`DELETE FROM ${hb}`))).toBe('42501');
      expect(await sqlState(c.query(`CREATE TABLE ${q(schema)}.lakewall_setup_it (id int)`))).toBe('42501');
    });
  });

  it('publishes exactly the model tables', async () => {
    const admin = new Client(adminConnection(model.source.database));
    await admin.connect();
    try {
      const r = await admin.query(
        'SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = $1 ORDER BY tablename',
        [model.source.publication],
      );
      expect(r.rows).toEqual(
        tablesOf(model)
          .map((t) => ({ schemaname: schema, tablename: t.name }))
          .sort((a, b) => a.tablename.localeCompare(b.tablename)),
      );
    } finally {
      await admin.end();
    }
  });
});
