import { ListObjectsV2Command, GetObjectCommand } from '@aws-sdk/client-s3';
import { Client } from 'pg';
import {
  deriveLakeBuckets,
  lakeBucketName,
  loadPlatformModel,
  publishedColumns,
  tablesInZone,
  tablesOf,
  topicName,
} from '@lakewall/platform-model';
import { pgConnectionConfig } from '../src/index';
import { applyTopicsAndAcls } from '../src/topic-bootstrap';
import { registerDebezium, sampleRow } from '../src/cdc';
import { listLakeTables, registerIcebergSinks, scanLakeTable } from '../src/lake';
import { s3ClientFor } from '../src/components/s3';
import { requireCredentials, stackContext } from '../src/context';

const model = loadPlatformModel();
const ctx = stackContext();
const schema = model.source.schema;
const namespaceOf = (zone: string) => `${model.project}_raw_${zone}`;

// Every table an application writes; the heartbeat table is Debezium's own (one row it upserts).
const appTables = () => tablesOf(model).filter((t) => t.name !== model.source.heartbeat.table);

type Row = Record<string, unknown> & { _cdc: { op: string; target: string } };

/** This run's rows of each table: those whose first key column has this run's value. */
function scanAll(rows: Record<string, Record<string, unknown>>): Record<string, Row[]> {
  const out: Record<string, Row[]> = {};
  for (const t of appTables()) {
    const key = t.primaryKey[0]!;
    const value = rows[t.name]![key] as string | number;
    out[t.name] = scanLakeTable(`${namespaceOf(t.classification)}.${t.name}`, -1, {
      [key]: [value],
    }) as Row[];
  }
  return out;
}

describe('the lake fills: inserts, updates and deletes reach each zone’s Iceberg table', () => {
  const id = Date.now() % 1_000_000_000;
  const rows = Object.fromEntries(appTables().map((t) => [t.name, sampleRow(model, t.name, id)]));
  const updated: Record<string, { column: string; value: string }> = {};
  let lake: Record<string, Row[]> = {};

  beforeAll(async () => {
    await applyTopicsAndAcls(() => undefined);
    await registerDebezium(model);
    await registerIcebergSinks(model);
    const before = Object.fromEntries(listLakeTables(model).map((t) => [t.table, t.rows]));
    const pg = new Client(pgConnectionConfig('admin'));
    await pg.connect();
    try {
      for (const t of appTables()) {
        const row = rows[t.name]!;
        const cols = Object.keys(row);
        await pg.query(
          `INSERT INTO "${schema}"."${t.name}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
          Object.values(row),
        );
        const key = t.primaryKey;
        const where = key.map((k, i) => `"${k}" = $${i + 2}`).join(' AND ');
        const col = publishedColumns(t).find(
          (c) => !key.includes(c.name) && (c.type === 'text' || c.type.startsWith('numeric')),
        )!;
        const scale = /^numeric\(\d+,(\d+)\)$/.exec(col.type)?.[1];
        const value = scale ? (7 + (id % 100) / 4).toFixed(Number(scale)) : `updated-${id}`;
        updated[t.name] = { column: col.name, value };
        await pg.query(`UPDATE "${schema}"."${t.name}" SET "${col.name}" = $1 WHERE ${where}`, [
          value,
          ...key.map((k) => row[k]),
        ]);
        await pg.query(
          `DELETE FROM "${schema}"."${t.name}" WHERE ${key.map((k, i) => `"${k}" = $${i + 1}`).join(' AND ')}`,
          key.map((k) => row[k]),
        );
      }
    } finally {
      await pg.end();
    }
    // Each table gains at least its three changes; the commit interval is the model's (10 s locally).
    const until = Date.now() + 180_000;
    for (;;) {
      const now = Object.fromEntries(listLakeTables(model).map((t) => [t.table, t.rows]));
      if (appTables().every((t) => (now[t.name] ?? 0) >= (before[t.name] ?? 0) + 3)) break;
      if (Date.now() > until) throw new Error(`the lake did not receive the changes: ${JSON.stringify(now)}`);
      await new Promise((r) => setTimeout(r, 3000));
    }
    lake = scanAll(rows);
  });

  it.each(appTables().map((t) => [t.name]))('%s: I, U, D in order, with the values written', (table) => {
    const t = appTables().find((x) => x.name === table)!;
    const row = rows[table]!;
    const mine = lake[table]!.filter((r) => t.primaryKey.every((k) => String(r[k]) === String(row[k])));
    expect(mine.map((r) => r._cdc.op)).toEqual(['I', 'U', 'D']);
    const [ins, upd, del] = mine;
    for (const c of publishedColumns(t)) {
      if (c.type.startsWith('timestamp')) continue; // precision differs; checked by type below
      expect(String(ins![c.name])).toBe(String(row[c.name]));
    }
    expect(upd![updated[table]!.column]).toBe(updated[table]!.value);
    expect(del!._cdc.target).toBe(`${namespaceOf(t.classification)}.${table}`);
    // Each change keeps its place in the database's log: LSNs grow, and the insert, update and
    // delete were three transactions.
    const lsns = mine.map((r) => Number(r._source_lsn));
    expect(lsns.every((l) => Number.isInteger(l) && l > 0)).toBe(true);
    expect([...lsns].sort((a, b) => a - b)).toEqual(lsns);
    expect(new Set(mine.map((r) => r._source_txid)).size).toBe(3);
    for (const r of mine) expect(Number.isNaN(Date.parse(String(r._source_ts)))).toBe(false);
    for (const c of t.columns.filter((x) => x.classification === 'mnpi'))
      expect(ins).not.toHaveProperty(c.name);
  });

  it('puts nothing of an MNPI table in any public bucket (every object listed and read)', async () => {
    const s3 = s3ClientFor(ctx, requireCredentials(ctx));
    const publicTables = tablesInZone(model, 'public').map((t) => t.name);
    // What would betray MNPI content: its namespace, topics, source tables and this run's values.
    const mnpiTables = tablesInZone(model, 'mnpi').map((t) => t.name);
    const markers = [
      namespaceOf('mnpi'),
      ...mnpiTables.map((t) => topicName(model, t, 'mnpi')),
      ...mnpiTables.map((t) => `${schema}.${t}`),
      String(rows.trades!.account_id),
    ];
    let objects = 0;
    try {
      for (const b of deriveLakeBuckets(model).filter((x) => x.zone === 'public')) {
        const bucket = lakeBucketName(model, 'local', b);
        let token: string | undefined;
        do {
          const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
          for (const o of page.Contents ?? []) {
            if (o.Key!.startsWith('restart-check/')) continue;
            objects++;
            const [ns, table] = o.Key!.split('/');
            expect(ns).toBe(namespaceOf('public'));
            expect(publicTables).toContain(table);
            const body = await (
              await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }))
            ).Body!.transformToString('latin1');
            expect(markers.filter((m) => body.includes(m))).toEqual([]);
          }
          token = page.NextContinuationToken;
        } while (token);
      }
    } finally {
      s3.destroy();
    }
    expect(objects).toBeGreaterThan(0);
  });
});
