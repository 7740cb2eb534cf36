import { Client, type ClientConfig } from 'pg';
import type { PlatformModel } from '@lakewall/platform-model';
import { databaseOf, planRoleSetup, type ReplicationGrant, type RoleSetup, type SetupStep } from './plan';

/** A failed step: names the step and the role, never the SQL or a password. */
export class SourceSetupError extends Error {
  constructor(
    readonly step: string,
    readonly role: string,
    reason: string,
  ) {
    super(`source setup: ${step} for role '${role}' failed: ${reason}`);
    this.name = 'SourceSetupError';
  }
}

export interface SourceSetupOptions {
  readonly model: PlatformModel;
  readonly replication: ReplicationGrant;
  /** The admin's connection to a database of the server (credentials and TLS are the caller's). */
  readonly adminConnection: (database: string) => ClientConfig;
  /**
   * A database that always exists, where roles and databases are created.
   * @default 'postgres'
   */
  readonly adminDatabase?: string;
  /** Progress lines; they name roles and steps only. */
  readonly log?: (msg: string) => void;
}

/** Replaces every occurrence of a secret in a server message (defence in depth: none should echo it). */
export function scrub(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length > 0).reduce((t, s) => t.split(s).join('***'), text);
}

async function withClient<T>(config: ClientConfig, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client(config);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Brings every role to its declared state (see planRoleSetup): roles with their current passwords,
 * replication, databases, the source DDL and grants. Idempotent; stops at the first failed step.
 */
export async function setupSourceDatabase(
  roles: readonly RoleSetup[],
  opts: SourceSetupOptions,
): Promise<void> {
  const adminDatabase = opts.adminDatabase ?? 'postgres';
  const log = opts.log ?? (() => undefined);
  const secrets = roles.map((r) => r.password);
  const fail = (step: string, role: string, e: unknown): SourceSetupError =>
    new SourceSetupError(step, role, scrub((e as Error)?.message ?? String(e), secrets));

  const seen = new Set<string>();
  for (const setup of roles) {
    if (seen.has(setup.role)) throw new SourceSetupError('plan', setup.role, 'the role is listed twice');
    seen.add(setup.role);
    if (!setup.password) throw new SourceSetupError('plan', setup.role, 'its password is empty');
  }

  for (const setup of roles) {
    const database = databaseOf(setup, opts.model);
    let steps: SetupStep[];
    try {
      steps = await withClient(opts.adminConnection(adminDatabase), async (c) => {
        const role = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [setup.role]);
        const db = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
        return planRoleSetup(
          setup,
          opts.model,
          opts.replication,
          { roleExists: !!role.rowCount, databaseExists: !!db.rowCount },
          adminDatabase,
        );
      });
    } catch (e) {
      throw fail('read server state', setup.role, e);
    }
    // Consecutive steps in one database share a connection.
    const batches: SetupStep[][] = [];
    for (const step of steps) {
      const last = batches.at(-1);
      if (last && last[0]?.database === step.database) last.push(step);
      else batches.push([step]);
    }
    for (const batch of batches) {
      const database = batch[0]?.database ?? adminDatabase;
      let current = `connect to ${database}`;
      try {
        await withClient(opts.adminConnection(database), async (c) => {
          for (const s of batch) {
            current = s.step;
            await c.query(s.sql);
            log(`role ${setup.role}: ${s.step} (${database})`);
          }
        });
      } catch (e) {
        throw fail(current, setup.role, e);
      }
    }
  }
}
