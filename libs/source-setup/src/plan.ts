import { deriveSourceDdl, type PlatformModel } from '@lakewall/platform-model';

/**
 * How the CDC role gets the right to stream WAL. A superuser (the local stack) sets the REPLICATION
 * attribute; the RDS master user is not a superuser and may not, but may grant RDS's
 * `rds_replication` role, which is how RDS gives logical replication to a role.
 */
export type ReplicationGrant = 'attribute' | 'rds_replication';

/**
 * What a role is given besides LOGIN with its password:
 * - `cdc-source`: the model's Debezium role: replication, CONNECT on the source database, and the
 *   model's DDL there (tables, the publication over exactly the model's tables, SELECT on them,
 *   INSERT/UPDATE on the heartbeat table only).
 * - `database-owner`: a service keeping its own state (e.g. a schema registry): CONNECT and
 *   TEMPORARY on a database of its own, closed to PUBLIC, and CREATE in its public schema.
 */
export type RoleGrants = 'cdc-source' | 'database-owner';

export interface RoleSetup {
  readonly role: string;
  /** The role's current password: applied on every run, so a rotated secret takes effect. */
  readonly password: string;
  readonly grants: RoleGrants;
  /**
   * The role's database.
   * @default the model's source database (cdc-source); required for database-owner
   */
  readonly database?: string;
}

/** What the server already has, read before planning (CREATE ROLE/DATABASE have no IF NOT EXISTS). */
export interface ServerFacts {
  readonly roleExists: boolean;
  readonly databaseExists: boolean;
}

/** One statement of the setup, run as the admin in `database`. */
export interface SetupStep {
  /** Names the step in logs and errors (never the SQL, which may hold the password). */
  readonly step: string;
  readonly database: string;
  readonly sql: string;
}

export const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;
export const quoteLiteral = (s: string): string => {
  // A backslash in a standard-conforming string is literal; a NUL cannot be sent at all.
  if (s.includes('\0')) throw new Error('a password may not contain a NUL character');
  return `'${s.replace(/'/g, "''")}'`;
};

/** The database a setup works in, validated against the model. */
export function databaseOf(setup: RoleSetup, model: PlatformModel): string {
  if (setup.grants === 'cdc-source') {
    if (setup.role !== model.source.debeziumRole) {
      throw new Error(
        `source setup: the cdc-source grants belong to the model's Debezium role '${model.source.debeziumRole}', not '${setup.role}'`,
      );
    }
    if (setup.database !== undefined && setup.database !== model.source.database) {
      throw new Error(
        `source setup: the cdc-source role works in the model's source database '${model.source.database}', not '${setup.database}'`,
      );
    }
    return model.source.database;
  }
  if (!setup.database)
    throw new Error(`source setup: role '${setup.role}' (database-owner) needs a database`);
  if (setup.database === model.source.database) {
    throw new Error(
      `source setup: role '${setup.role}' may not own the source database '${model.source.database}'; give it a database of its own`,
    );
  }
  return setup.database;
}

/**
 * The statements that bring one role to its declared state, in order. Every statement is safe to
 * repeat: roles are ALTERed when they exist, databases created only when missing, grants re-granted.
 */
export function planRoleSetup(
  setup: RoleSetup,
  model: PlatformModel,
  replication: ReplicationGrant,
  facts: ServerFacts,
  adminDatabase = 'postgres',
): SetupStep[] {
  const database = databaseOf(setup, model);
  const role = quoteIdent(setup.role);
  const db = quoteIdent(database);
  const cdc = setup.grants === 'cdc-source';
  const attributes = cdc && replication === 'attribute' ? 'LOGIN REPLICATION' : 'LOGIN';
  const steps: SetupStep[] = [
    {
      step: facts.roleExists ? 'alter role' : 'create role',
      database: adminDatabase,
      sql: `${facts.roleExists ? 'ALTER' : 'CREATE'} ROLE ${role} WITH ${attributes} PASSWORD ${quoteLiteral(setup.password)}`,
    },
  ];
  if (cdc && replication === 'rds_replication') {
    steps.push({
      step: 'grant rds_replication',
      database: adminDatabase,
      sql: `GRANT rds_replication TO ${role}`,
    });
  }
  if (!facts.databaseExists) {
    steps.push({ step: 'create database', database: adminDatabase, sql: `CREATE DATABASE ${db}` });
  }
  if (cdc) {
    steps.push(
      { step: 'grant connect', database: adminDatabase, sql: `GRANT CONNECT ON DATABASE ${db} TO ${role}` },
      { step: 'source ddl and grants', database, sql: deriveSourceDdl(model) },
    );
  } else {
    steps.push(
      // Only the owning service (and the admin) may connect: not PUBLIC, not the Debezium role.
      { step: 'close database', database: adminDatabase, sql: `REVOKE ALL ON DATABASE ${db} FROM PUBLIC` },
      {
        step: 'grant connect',
        database: adminDatabase,
        sql: `GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${role}`,
      },
      // Its tables are its own: it creates them in the database's public schema.
      { step: 'grant schema', database, sql: `GRANT USAGE, CREATE ON SCHEMA public TO ${role}` },
    );
  }
  return steps;
}
