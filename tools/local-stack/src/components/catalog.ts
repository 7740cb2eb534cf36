/**
 * Iceberg's JDBC catalog: a database and a role of its own on the stack's PostgreSQL. It has no
 * process of its own (PostgreSQL hosts it); `status` shows it, `up` provisions it idempotently, and
 * its data lives and survives with PostgreSQL's.
 */
import { Client } from 'pg';
import type { StackContext, UpContext } from '../context';
import { passwordOf, PG_SUPERUSER, type Credentials } from '../credentials';
import { ICEBERG_CATALOG_DATABASE, ICEBERG_CATALOG_ROLE } from '../lake-local';
import { HOST } from '../ports';
import type { ComponentSpec } from './component';
import { pgConfigFor } from './postgres';

const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const quoteLit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * A role and a database of its own (owned by the role, closed to PUBLIC) on the stack's PostgreSQL,
 * for a service that keeps its state there: never the trading database. Safe to repeat.
 */
export async function provisionOwnDatabase(ctx: UpContext, roleName: string, dbName: string): Promise<void> {
  const admin = new Client(
    pgConfigFor(ctx.ports, PG_SUPERUSER, passwordOf(ctx.creds, 'postgres', PG_SUPERUSER), 'postgres'),
  );
  const role = quoteIdent(roleName);
  const db = quoteIdent(dbName);
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [roleName]);
    await admin.query(
      `${exists.rowCount ? 'ALTER' : 'CREATE'} ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${quoteLit(passwordOf(ctx.creds, 'postgres', roleName))}`,
    );
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (!found.rowCount) await admin.query(`CREATE DATABASE ${db} OWNER ${role}`);
    // Only the owning role (and the superuser) may connect: the Debezium role may not.
    await admin.query(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
    await admin.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${role}`);
  } finally {
    await admin.end();
  }
}

/** The Iceberg catalog's role and database; safe to repeat. */
export function provisionCatalog(ctx: UpContext): Promise<void> {
  return provisionOwnDatabase(ctx, ICEBERG_CATALOG_ROLE, ICEBERG_CATALOG_DATABASE);
}

async function catalogHealth(ctx: StackContext, creds: Credentials | undefined): Promise<string | undefined> {
  const pw = creds?.postgres[ICEBERG_CATALOG_ROLE];
  if (!pw) return 'no credentials yet';
  const client = new Client({
    ...pgConfigFor(ctx.ports, ICEBERG_CATALOG_ROLE, pw, ICEBERG_CATALOG_DATABASE),
    connectionTimeoutMillis: 3000,
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (e) {
    return `catalog: ${(e as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const catalog: ComponentSpec = {
  endpoint: (p) => `postgresql://${HOST}:${p.postgres}/${ICEBERG_CATALOG_DATABASE}`,
  ports: () => [],
  readyTimeoutMs: 30_000,
  hostedBy: 'postgres',
  health: catalogHealth,
  stop: { timeoutMs: 0 },
};
