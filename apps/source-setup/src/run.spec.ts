import type { PlatformModel } from '@lakewall/platform-model';
import type { RoleSetup, SourceSetupOptions } from '@lakewall/source-setup';
import { parseConfig } from './config';
import { adminConnection, run } from './run';

const arn = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-AbCdEf`;
const env = {
  LAKEWALL_DB_HOST: 'db.example.internal',
  LAKEWALL_DB_ADMIN_SECRET_ARN: arn('admin'),
  LAKEWALL_DB_ROLES: JSON.stringify([{ role: 'debezium', secretArn: arn('debezium'), grants: 'cdc-source' }]),
  LAKEWALL_DB_CA_FILE: '/app/rds-ca.pem',
};
const secrets: Record<string, string> = {
  [arn('admin')]: JSON.stringify({ username: 'lakewall_admin', password: 'admin-pw-1' }),
  [arn('debezium')]: JSON.stringify({ username: 'debezium', password: 'dbz-pw-2' }),
};

function harness(overrides: Partial<Record<string, string>> = {}) {
  const out: string[] = [];
  const calls: { roles: readonly RoleSetup[]; opts: SourceSetupOptions }[] = [];
  const exec = (argv: string[]) =>
    run(argv, {
      env: { ...env, ...overrides },
      stderr: (s) => out.push(s),
      readSecret: async (a) => {
        if (!secrets[a]) throw new Error(`cannot read secret ${a}: AccessDeniedException: denied`);
        return secrets[a];
      },
      loadModel: () => ({}) as PlatformModel,
      readFile: () => 'CA',
      setup: async (roles, opts) => {
        calls.push({ roles, opts });
      },
    });
  return { out, calls, exec };
}

describe('source-setup apply', () => {
  it('sets up every declared role with its secret password, over verified TLS, as rds_replication by default', async () => {
    const h = harness();
    expect(await h.exec(['apply'])).toBe(0);
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]!.roles).toEqual([{ role: 'debezium', password: 'dbz-pw-2', grants: 'cdc-source' }]);
    expect(h.calls[0]!.opts.replication).toBe('rds_replication');
    expect(h.calls[0]!.opts.adminConnection('trading')).toMatchObject({
      host: 'db.example.internal',
      port: 5432,
      user: 'lakewall_admin',
      database: 'trading',
      ssl: { ca: 'CA', rejectUnauthorized: true },
    });
    expect(h.out.join('')).not.toMatch(/admin-pw-1|dbz-pw-2/);
  });

  it('fails naming the step and role, not the secret, when a secret cannot be read or belongs to another role', async () => {
    const unreadable = harness({
      LAKEWALL_DB_ROLES: JSON.stringify([{ role: 'debezium', secretArn: arn('gone'), grants: 'cdc-source' }]),
    });
    expect(await unreadable.exec(['apply'])).toBe(1);
    expect(unreadable.out.join('')).toMatch(
      /read secret for role 'debezium' failed: cannot read secret its secret/,
    );
    expect(unreadable.out.join('')).not.toContain(arn('gone'));

    const other = harness({
      LAKEWALL_DB_ROLES: JSON.stringify([
        { role: 'registry', secretArn: arn('debezium'), grants: 'database-owner', database: 'r' },
      ]),
    });
    expect(await other.exec(['apply'])).toBe(1);
    expect(other.out.join('')).toMatch(
      /read secret for role 'registry' failed: the secret is for 'debezium'/,
    );
    expect(other.out.join('')).not.toMatch(/dbz-pw-2|admin-pw-1/);
  });

  it('refuses bad usage and an incomplete environment with exit 2', async () => {
    expect(await harness().exec(['drop'])).toBe(2);
    expect(await harness({ LAKEWALL_DB_ROLES: '[]' }).exec(['apply'])).toBe(2);
    expect(await harness({ LAKEWALL_DB_ADMIN_SECRET_ARN: 'admin' }).exec(['apply'])).toBe(2);
  });
});

describe('parseConfig', () => {
  it('reads the environment, with --replication attribute for a superuser', () => {
    expect(
      parseConfig(['apply', '--replication', 'attribute'], { ...env, LAKEWALL_DB_PORT: '5433' }),
    ).toEqual({
      host: 'db.example.internal',
      port: 5433,
      adminSecretArn: arn('admin'),
      roles: [{ role: 'debezium', secretArn: arn('debezium'), grants: 'cdc-source' }],
      caFile: '/app/rds-ca.pem',
      replication: 'attribute',
    });
  });

  it('refuses a role listed twice and roles that are not JSON', () => {
    const twice = JSON.stringify([
      { role: 'debezium', secretArn: arn('a'), grants: 'cdc-source' },
      { role: 'debezium', secretArn: arn('b'), grants: 'cdc-source' },
    ]);
    expect(() => parseConfig(['apply'], { ...env, LAKEWALL_DB_ROLES: twice })).toThrow(/listed twice/);
    expect(() => parseConfig(['apply'], { ...env, LAKEWALL_DB_ROLES: '{' })).toThrow(/not JSON/);
  });

  it('always verifies the server: the connection carries the CA and the host name', () => {
    const c = parseConfig(['apply'], env);
    if (c === 'help') throw new Error('help');
    expect(adminConnection(c, { username: 'u', password: 'p' }, 'CA')('postgres').ssl).toEqual({
      ca: 'CA',
      rejectUnauthorized: true,
      servername: 'db.example.internal',
    });
  });
});
