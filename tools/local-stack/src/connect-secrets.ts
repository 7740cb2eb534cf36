/**
 * What the Connect worker may know of the stack's secrets, and how connector configs refer to them.
 * Pure: the files' names and contents come from the model and the credentials; connect.ts writes them.
 *
 * Connect stores connector configs verbatim in its config topic and returns them from REST, so a
 * connector config never holds a password: it holds `${file:<secrets dir>/<file>:password}`, which
 * the worker's FileConfigProvider resolves only inside the worker process, when it starts a task.
 */
import * as path from 'node:path';
import { LOCAL_CONNECT_REST_USER } from '@lakewall/kafka-connection';
import { cdcSourcePrincipal, principalsIn, type PlatformModel } from '@lakewall/platform-model';
import type { Credentials } from './credentials';
import { LOCAL_ENV } from './context';
import { ICEBERG_CATALOG_ROLE } from './lake-local';

/** The provider name connector configs use in `${file:...}` references. */
export const FILE_PROVIDER = 'file';

export const CONNECT_SECRETS_DIRNAME = 'secrets';
export const CONNECT_REST_USERS_FILE = 'rest-users.properties';
/** The local S3 server's identity and credential (`access-key-id`, `secret-access-key`). */
export const S3_SECRET_FILE = 's3.properties';
/**
 * Where the converters reach the schema registry (`url`: its v2 API). Not a password, but kept out of
 * connector configs all the same: a registry that asks for credentials later adds them here.
 */
export const REGISTRY_SECRET_FILE = 'registry.properties';

export function kafkaSecretFile(principal: string): string {
  return `kafka-${principal}.properties`;
}

export function postgresSecretFile(role: string): string {
  return `postgres-${role}.properties`;
}

/** `${file:<dir>/<file>:<key>}`: resolved by the worker, never stored resolved. */
export function secretRef(secretsDir: string, file: string, key = 'password'): string {
  if (secretsDir.includes('}') || file.includes('}') || file.includes(':'))
    throw new Error(`a config-provider path may not contain '}' or ':' (${path.join(secretsDir, file)})`);
  return `\${${FILE_PROVIDER}:${path.join(secretsDir, file)}:${key}}`;
}

/**
 * The Kafka principals whose passwords Connect needs: the worker's own, the one CDC producer's
 * (Debezium) and every lake writer's (the sinks). Nobody else's password is ever in reach of Connect.
 */
export function connectKafkaPrincipals(model: PlatformModel): string[] {
  const producer = cdcSourcePrincipal(model, LOCAL_ENV);
  const sinks = principalsIn(model, LOCAL_ENV)
    .filter((p) => p.lake?.write && p.kafka?.consume)
    .map((p) => p.name);
  return [...new Set([model.kafka.connect.principal, ...(producer ? [producer] : []), ...sinks])].sort();
}

function properties(entries: Record<string, string>): string {
  return Object.entries(entries)
    .map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\')}`)
    .join('\n')
    .concat('\n');
}

/** The secret files (name -> content) the worker's providers read; written with mode 0600 in a 0700 dir. */
export function connectSecretFiles(
  model: PlatformModel,
  creds: Credentials,
  registryApiUrl: string,
): Record<string, string> {
  const files: Record<string, string> = { [REGISTRY_SECRET_FILE]: properties({ url: registryApiUrl }) };
  for (const principal of connectKafkaPrincipals(model)) {
    const pw = creds.kafka[principal];
    if (!pw) throw new Error(`the local stack's credentials have no Kafka password for '${principal}'`);
    files[kafkaSecretFile(principal)] = properties({ username: principal, password: pw });
  }
  for (const role of [model.source.debeziumRole, ICEBERG_CATALOG_ROLE]) {
    const pgPw = creds.postgres[role];
    if (!pgPw) throw new Error(`the local stack's credentials have no PostgreSQL password for '${role}'`);
    files[postgresSecretFile(role)] = properties({ username: role, password: pgPw });
  }
  if (!creds.s3) throw new Error("the local stack's credentials have no S3 credentials");
  files[S3_SECRET_FILE] = properties({
    'access-key-id': creds.s3.accessKeyId,
    'secret-access-key': creds.s3.secretAccessKey,
  });
  const restPw = creds.connectRest?.[LOCAL_CONNECT_REST_USER];
  if (!restPw) throw new Error("the local stack's credentials have no Kafka Connect REST password");
  // PropertyFileLoginModule reads `<user>=<password>` lines.
  files[CONNECT_REST_USERS_FILE] = properties({ [LOCAL_CONNECT_REST_USER]: restPw });
  return files;
}

/** The JAAS file for Connect's BasicAuthSecurityRestExtension: users and passwords from `usersFile`. */
export function connectRestJaas(usersFile: string): string {
  return [
    'KafkaConnect {',
    '  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required',
    `  file="${usersFile}";`,
    '};',
    '',
  ].join('\n');
}
