import { readFileSync } from 'node:fs';
import type { ClientConfig } from 'pg';
import { readSecretFromAws, type SecretReader } from '@lakewall/kafka-connection';
import { loadPlatformModel, type PlatformModel } from '@lakewall/platform-model';
import { setupSourceDatabase, SourceSetupError, type RoleSetup } from '@lakewall/source-setup';
import { ConfigError, credentialsSecret, parseConfig, type SetupConfig } from './config';

export interface RunDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stderr: (s: string) => void;
  readonly readSecret?: SecretReader;
  readonly loadModel?: () => PlatformModel;
  readonly readFile?: (path: string) => string;
  readonly setup?: typeof setupSourceDatabase;
}

/** Reads a {"username","password"} secret; errors name the step and role, never the value. */
async function credentialsOf(
  read: SecretReader,
  arn: string,
  role: string,
): Promise<{ username: string; password: string }> {
  let text: string;
  try {
    text = await read(arn);
  } catch (e) {
    // The SDK's message names the ARN: not secret, but errors name the step and role only.
    throw new SourceSetupError('read secret', role, (e as Error).message.split(arn).join('its secret'));
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SourceSetupError('read secret', role, 'the secret is not JSON');
  }
  const parsed = credentialsSecret.safeParse(value);
  if (!parsed.success) {
    throw new SourceSetupError('read secret', role, 'the secret has no string "username" and "password"');
  }
  return parsed.data;
}

/** The admin's TLS connection: the server certificate must chain to the CA bundle and name the host. */
export function adminConnection(
  config: SetupConfig,
  admin: { username: string; password: string },
  ca: string,
): (database: string) => ClientConfig {
  return (database) => ({
    host: config.host,
    port: config.port,
    user: admin.username,
    password: admin.password,
    database,
    ssl: { ca, rejectUnauthorized: true, servername: config.host },
    connectionTimeoutMillis: 15_000,
  });
}

/** `apply`: exit 0 when every role is in place, 1 on any failure, 2 on bad usage. */
export async function run(argv: readonly string[], deps: RunDeps): Promise<number> {
  let config: SetupConfig | 'help';
  try {
    config = parseConfig(argv, deps.env, deps.stderr);
  } catch (e) {
    if (e instanceof ConfigError) {
      deps.stderr(`source-setup: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (config === 'help') return 0;
  const read = deps.readSecret ?? readSecretFromAws;
  try {
    const model = (deps.loadModel ?? loadPlatformModel)();
    const ca = (deps.readFile ?? ((p) => readFileSync(p, 'utf8')))(config.caFile);
    const admin = await credentialsOf(read, config.adminSecretArn, 'admin');
    const roles: RoleSetup[] = [];
    for (const entry of config.roles) {
      const secret = await credentialsOf(read, entry.secretArn, entry.role);
      if (secret.username !== entry.role) {
        throw new SourceSetupError('read secret', entry.role, `the secret is for '${secret.username}'`);
      }
      roles.push({
        role: entry.role,
        password: secret.password,
        grants: entry.grants,
        database: entry.database,
      });
    }
    await (deps.setup ?? setupSourceDatabase)(roles, {
      model,
      replication: config.replication,
      adminConnection: adminConnection(config, admin, ca),
      log: (m) => deps.stderr(`source-setup: ${m}\n`),
    });
    deps.stderr(`source-setup: ${roles.map((r) => r.role).join(', ')} in place\n`);
    return 0;
  } catch (e) {
    deps.stderr(`source-setup: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
