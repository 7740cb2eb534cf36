import { deriveSourceDdl, loadPlatformModel } from '@lakewall/platform-model';
import { planRoleSetup, quoteIdent, quoteLiteral, type RoleSetup } from './plan';

const model = loadPlatformModel();
const debezium: RoleSetup = { role: model.source.debeziumRole, password: 'pw', grants: 'cdc-source' };
const fresh = { roleExists: false, databaseExists: false };
const existing = { roleExists: true, databaseExists: true };

describe('planRoleSetup: the CDC source role', () => {
  it('sets the REPLICATION attribute where the admin is a superuser (the local stack)', () => {
    const steps = planRoleSetup(debezium, model, 'attribute', fresh);
    expect(steps.map((s) => [s.step, s.database, s.sql.split('\n')[0]])).toEqual([
      ['create role', 'postgres', `CREATE ROLE "debezium" WITH LOGIN REPLICATION PASSWORD 'pw'`],
      ['create database', 'postgres', `CREATE DATABASE "${model.source.database}"`],
      ['grant connect', 'postgres', `GRANT CONNECT ON DATABASE "${model.source.database}" TO "debezium"`],
      ['source ddl and grants', model.source.database, deriveSourceDdl(model).split('\n')[0]],
    ]);
    expect(steps.at(-1)!.sql).toBe(deriveSourceDdl(model));
    expect(steps.some((s) => /rds_replication/.test(s.sql))).toBe(false);
  });

  it('grants rds_replication instead on RDS, whose master user may not set REPLICATION', () => {
    const steps = planRoleSetup(debezium, model, 'rds_replication', existing);
    expect(steps.map((s) => s.sql.split('\n')[0])).toEqual([
      `ALTER ROLE "debezium" WITH LOGIN PASSWORD 'pw'`,
      'GRANT rds_replication TO "debezium"',
      `GRANT CONNECT ON DATABASE "${model.source.database}" TO "debezium"`,
      deriveSourceDdl(model).split('\n')[0],
    ]);
    expect(steps.some((s) => /\bREPLICATION\b/.test(s.sql) && !/rds_replication/.test(s.sql))).toBe(false);
  });

  it('ALTERs an existing role with the current password, so a rotated secret takes effect', () => {
    const [role] = planRoleSetup({ ...debezium, password: "it's new" }, model, 'attribute', existing);
    expect(role).toEqual({
      step: 'alter role',
      database: 'postgres',
      sql: `ALTER ROLE "debezium" WITH LOGIN REPLICATION PASSWORD 'it''s new'`,
    });
  });

  it('refuses the cdc-source grants for any role but the model Debezium role, or another database', () => {
    expect(() => planRoleSetup({ ...debezium, role: 'other' }, model, 'attribute', fresh)).toThrow(
      /belong to the model's Debezium role/,
    );
    expect(() => planRoleSetup({ ...debezium, database: 'elsewhere' }, model, 'attribute', fresh)).toThrow(
      /source database/,
    );
  });
});

describe('planRoleSetup: a service that owns a database', () => {
  const registry: RoleSetup = {
    role: 'registry',
    password: 'pw',
    grants: 'database-owner',
    database: 'registry',
  };

  it('closes its database to PUBLIC and lets it create its own tables, without replication', () => {
    for (const replication of ['attribute', 'rds_replication'] as const) {
      expect(planRoleSetup(registry, model, replication, fresh).map((s) => [s.database, s.sql])).toEqual([
        ['postgres', `CREATE ROLE "registry" WITH LOGIN PASSWORD 'pw'`],
        ['postgres', 'CREATE DATABASE "registry"'],
        ['postgres', 'REVOKE ALL ON DATABASE "registry" FROM PUBLIC'],
        ['postgres', 'GRANT CONNECT, TEMPORARY ON DATABASE "registry" TO "registry"'],
        ['registry', 'GRANT USAGE, CREATE ON SCHEMA public TO "registry"'],
      ]);
    }
  });

  it('needs a database of its own', () => {
    expect(() => planRoleSetup({ ...registry, database: undefined }, model, 'attribute', fresh)).toThrow(
      /needs a database/,
    );
    expect(() =>
      planRoleSetup({ ...registry, database: model.source.database }, model, 'attribute', fresh),
    ).toThrow(/may not own the source database/);
  });
});

describe('quoting', () => {
  it('doubles quotes in identifiers and literals and refuses NUL', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteLiteral("a'b\\c")).toBe("'a''b\\c'");
    expect(() => quoteLiteral('a\0b')).toThrow(/NUL/);
  });
});
