import * as fs from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { ConnectionConfigError } from './errors';
import {
  LOCAL_KAFKA_ADMIN,
  LOCAL_KAFKA_SASL_MECHANISM,
  LOCAL_STACK_HOST,
  LOCAL_STACK_STATE_DIR_ENV,
  findRepoRoot,
  localKafkaPort,
  localStackCredentialsPath,
  localStackStatePath,
  readLocalStackCredentials,
} from './local-stack';
import { registerZstdCodec } from './zstd';

/**
 * Where a service's Kafka connection comes from, in order: command-line flags, environment
 * variables, an AWS Secrets Manager secret (MSK SCRAM secrets hold {"username","password"}), and
 * for the local environment the local stack's state (its `admin` super user).
 */
export interface ConnectionOptions {
  readonly brokers?: string;
  readonly username?: string;
  readonly password?: string;
  readonly mechanism?: string;
  readonly tls?: boolean;
  readonly caFile?: string;
  readonly secretArn?: string;
  readonly region?: string;
  readonly clientId?: string;
}

export const CONNECTION_ENV = {
  brokers: 'LAKEWALL_KAFKA_BROKERS',
  username: 'LAKEWALL_KAFKA_USERNAME',
  password: 'LAKEWALL_KAFKA_PASSWORD',
  mechanism: 'LAKEWALL_KAFKA_SASL_MECHANISM',
  tls: 'LAKEWALL_KAFKA_TLS',
  caFile: 'LAKEWALL_KAFKA_CA_FILE',
  secretArn: 'LAKEWALL_KAFKA_SECRET_ARN',
} as const;

export type SecretReader = (arn: string, region?: string) => Promise<string>;

export interface ResolveDeps {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly readSecret?: SecretReader;
  /** Local stack defaults (only consulted for the local environment). */
  readonly localDefaults?: () => ConnectionOptions | undefined;
}

const MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;

function truthy(v: string | undefined): boolean | undefined {
  if (v === undefined || v === '') return undefined;
  return ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());
}

/** Reads a secret's string value with the AWS SDK v3 (loaded lazily: only ECS runs need it). */
export const readSecretFromAws: SecretReader = async (arn, region) => {
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const regionFromArn = /^arn:[^:]+:secretsmanager:([^:]+):/.exec(arn)?.[1];
  const client = new SecretsManagerClient({ region: region ?? regionFromArn });
  try {
    const res = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    if (!res.SecretString) throw new ConnectionConfigError(`secret ${arn} has no string value`);
    return res.SecretString;
  } catch (err) {
    if (err instanceof ConnectionConfigError) throw err;
    throw new ConnectionConfigError(
      `cannot read secret ${arn}: ${(err as Error).name}: ${(err as Error).message}`,
    );
  } finally {
    client.destroy();
  }
};

interface SecretShape {
  username?: string;
  password?: string;
  brokers?: string | string[];
  bootstrapBrokers?: string;
}

function parseSecret(arn: string, text: string): SecretShape {
  try {
    const v = JSON.parse(text) as SecretShape;
    if (typeof v !== 'object' || v === null) throw new Error('not an object');
    return v;
  } catch {
    throw new ConnectionConfigError(
      `secret ${arn} is not JSON of the form {"username": "...", "password": "..."}`,
    );
  }
}

/**
 * The local stack's connection for its `admin` super user: broker on 127.0.0.1 at
 * LAKEWALL_KAFKA_PORT (default 19092), password from the stack's credentials file
 * (LAKEWALL_STATE_DIR or <repo>/.lakewall/stack). Undefined outside a repository when
 * LAKEWALL_STATE_DIR is not set.
 */
export function localStackDefaults(
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd = process.cwd(),
): ConnectionOptions | undefined {
  const root = findRepoRoot(cwd) ?? findRepoRoot(__dirname);
  if (!env[LOCAL_STACK_STATE_DIR_ENV] && !root) return undefined;
  const file = localStackCredentialsPath(localStackStatePath(env, root));
  const creds = readLocalStackCredentials(file);
  if (!creds) {
    throw new ConnectionConfigError(
      `the local stack has no credentials at ${file}; start it with \`npm run stack -- up\``,
    );
  }
  const password = creds.kafka[LOCAL_KAFKA_ADMIN];
  if (!password) throw new ConnectionConfigError(`no Kafka '${LOCAL_KAFKA_ADMIN}' password in ${file}`);
  return {
    brokers: `${LOCAL_STACK_HOST}:${localKafkaPort(env)}`,
    username: LOCAL_KAFKA_ADMIN,
    password,
    mechanism: LOCAL_KAFKA_SASL_MECHANISM,
    tls: false,
  };
}

export interface ResolvedConnection {
  readonly kafka: KafkaConfig;
  /** Where the credentials came from, for logs (never the secret itself). */
  readonly source: string;
}

export async function resolveConnection(
  flags: ConnectionOptions,
  isLocal: boolean,
  deps: ResolveDeps = {},
): Promise<ResolvedConnection> {
  const env = deps.env ?? process.env;
  const fromEnv: ConnectionOptions = {
    brokers: env[CONNECTION_ENV.brokers] || undefined,
    username: env[CONNECTION_ENV.username] || undefined,
    password: env[CONNECTION_ENV.password] || undefined,
    mechanism: env[CONNECTION_ENV.mechanism] || undefined,
    tls: truthy(env[CONNECTION_ENV.tls]),
    caFile: env[CONNECTION_ENV.caFile] || undefined,
    secretArn: env[CONNECTION_ENV.secretArn] || undefined,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined,
  };
  const pick = <K extends keyof ConnectionOptions>(k: K): ConnectionOptions[K] =>
    flags[k] !== undefined ? flags[k] : fromEnv[k];
  const sources: string[] = [];
  let brokers = pick('brokers');
  let username = pick('username');
  let password = pick('password');
  let mechanism = pick('mechanism');
  let tls = pick('tls');
  const secretArn = pick('secretArn');
  if (brokers || username || password)
    sources.push(flags.brokers || flags.username || flags.password ? 'flags' : 'environment');

  if (secretArn && (!username || !password)) {
    const secret = parseSecret(
      secretArn,
      await (deps.readSecret ?? readSecretFromAws)(secretArn, pick('region')),
    );
    username ??= secret.username;
    password ??= secret.password;
    const secretBrokers = Array.isArray(secret.brokers)
      ? secret.brokers.join(',')
      : (secret.brokers ?? secret.bootstrapBrokers);
    brokers ??= secretBrokers;
    sources.push(`secret ${secretArn}`);
  }
  if (isLocal && !brokers && !username && !password) {
    const local = (deps.localDefaults ?? (() => localStackDefaults(env)))();
    if (local) {
      brokers = local.brokers;
      username = local.username;
      password = local.password;
      mechanism ??= local.mechanism;
      tls ??= local.tls;
      sources.push('local stack (admin)');
    }
  }
  if (!brokers) {
    throw new ConnectionConfigError(
      `no Kafka brokers: pass --brokers or set ${CONNECTION_ENV.brokers} (comma-separated host:port)`,
    );
  }
  const brokerList = brokers
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const bad = brokerList.filter((b) => !/^[^:\s]+:\d{1,5}$/.test(b));
  if (bad.length)
    throw new ConnectionConfigError(`invalid broker address(es): ${bad.join(', ')} (expected host:port)`);

  let sasl: SASLOptions | undefined;
  if (username || password) {
    if (!username || !password) {
      throw new ConnectionConfigError(
        `incomplete SASL credentials: both a username and a password are needed (--username/--password, ` +
          `${CONNECTION_ENV.username}/${CONNECTION_ENV.password}, or --secret-arn)`,
      );
    }
    const m = (mechanism ?? 'scram-sha-512').toLowerCase();
    if (!(MECHANISMS as readonly string[]).includes(m)) {
      throw new ConnectionConfigError(
        `unsupported SASL mechanism '${mechanism}' (use one of ${MECHANISMS.join(', ')})`,
      );
    }
    sasl = { mechanism: m, username, password } as SASLOptions;
  }
  const caFile = pick('caFile');
  let ssl: KafkaConfig['ssl'] = tls ?? false;
  if (caFile) {
    if (!fs.existsSync(caFile)) throw new ConnectionConfigError(`CA file ${caFile} does not exist`);
    ssl = { ca: [fs.readFileSync(caFile, 'utf8')] };
  }
  // The model's topics are zstd-compressed: any client built from this config can read them.
  registerZstdCodec();
  return {
    kafka: { clientId: flags.clientId ?? 'lakewall', brokers: brokerList, ssl, sasl },
    source: sources.join(' + ') || 'none',
  };
}
