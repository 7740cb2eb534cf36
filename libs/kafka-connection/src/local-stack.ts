/**
 * The local stack's on-disk layout and Kafka listener, defined once. tools/local-stack writes this
 * layout (and imports these constants to do so); clients such as the topic bootstrapper and the
 * libraries' integration tests read connection details from it here, without importing the tool.
 *
 *   <state dir>                 LAKEWALL_STATE_DIR, else <repo>/.lakewall/stack
 *   <state dir>/credentials.json  generated passwords: { kafka: {principal: pw}, postgres: {role: pw} }
 *   Kafka client listener       127.0.0.1:LAKEWALL_KAFKA_PORT (default 19092), SASL_PLAINTEXT + SCRAM-SHA-512
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KafkaConfig } from 'kafkajs';
import { ConnectionConfigError } from './errors';
import { registerZstdCodec } from './zstd';

/** Every local stack listener binds here. */
export const LOCAL_STACK_HOST = '127.0.0.1';
export const LOCAL_STACK_STATE_DIR_ENV = 'LAKEWALL_STATE_DIR';
/** The state directory relative to the repository root, when LAKEWALL_STATE_DIR is not set. */
export const LOCAL_STACK_STATE_DIR_DEFAULT = path.join('.lakewall', 'stack');
export const LOCAL_STACK_CREDENTIALS_FILE = 'credentials.json';
export const LOCAL_KAFKA_PORT_ENV = 'LAKEWALL_KAFKA_PORT';
export const LOCAL_KAFKA_PORT_DEFAULT = 19092;
/** The broker's own SCRAM super user. */
export const LOCAL_KAFKA_ADMIN = 'admin';
export const LOCAL_KAFKA_SASL_MECHANISM = 'scram-sha-512' as const;

type Env = Readonly<Record<string, string | undefined>>;

/** The content of credentials.json. */
export interface LocalStackCredentials {
  /** SCRAM-SHA-512 passwords by Kafka principal name (includes the broker's own `admin`). */
  kafka: Record<string, string>;
  /** PostgreSQL passwords by role name (includes the bootstrap superuser). */
  postgres: Record<string, string>;
  /** PLAIN password the broker half of the KRaft node uses on the controller listener. */
  kafkaController?: string;
  /** The broker's delegation.token.secret.key (HMAC key of delegation tokens). */
  kafkaDelegationTokenSecret?: string;
  /** The local S3 server's one identity (S3Proxy has a single one). */
  s3?: { accessKeyId: string; secretAccessKey: string };
  /** Passwords of the Kafka Connect REST API's basic-auth users, by user name. */
  connectRest?: Record<string, string>;
}

/** The Kafka Connect REST user every local-stack caller authenticates as. */
export const LOCAL_CONNECT_REST_USER = 'admin';

/** Basic-auth credentials for the local Connect REST API; a clear error when the stack has none. */
export function localConnectRestAuth(creds: LocalStackCredentials): { username: string; password: string } {
  const password = creds.connectRest?.[LOCAL_CONNECT_REST_USER];
  if (!password)
    throw new ConnectionConfigError(
      "the local stack's credentials have no Kafka Connect REST password: run 'npm run stack -- up'",
    );
  return { username: LOCAL_CONNECT_REST_USER, password };
}

/** Finds the repository root (the directory with nx.json) at or above `start`. */
export function findRepoRoot(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'nx.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The local stack's state directory: LAKEWALL_STATE_DIR, else `.lakewall/stack` under `root`
 * (default: the repository around the working directory, else around this library).
 */
export function localStackStatePath(env: Env = process.env, root?: string): string {
  const fromEnv = env[LOCAL_STACK_STATE_DIR_ENV];
  if (fromEnv) return path.resolve(fromEnv);
  const repo = root ?? findRepoRoot(process.cwd()) ?? findRepoRoot(__dirname);
  if (!repo) {
    throw new ConnectionConfigError(
      `cannot locate the local stack: not inside the repository and ${LOCAL_STACK_STATE_DIR_ENV} is not set`,
    );
  }
  return path.join(repo, LOCAL_STACK_STATE_DIR_DEFAULT);
}

export function localStackCredentialsPath(stateDir: string = localStackStatePath()): string {
  return path.join(stateDir, LOCAL_STACK_CREDENTIALS_FILE);
}

/** Reads credentials.json; undefined when the stack has never been started. */
export function readLocalStackCredentials(
  file: string = localStackCredentialsPath(),
): LocalStackCredentials | undefined {
  if (!fs.existsSync(file)) return undefined;
  let parsed: Partial<LocalStackCredentials>;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LocalStackCredentials>;
  } catch (e) {
    throw new ConnectionConfigError(
      `the local stack credentials file ${file} is not valid JSON (${(e as Error).message})`,
    );
  }
  return { ...parsed, kafka: parsed.kafka ?? {}, postgres: parsed.postgres ?? {} };
}

/** The Kafka client port: LAKEWALL_KAFKA_PORT, else 19092. */
export function localKafkaPort(env: Env = process.env): number {
  const raw = env[LOCAL_KAFKA_PORT_ENV];
  if (raw === undefined || raw === '') return LOCAL_KAFKA_PORT_DEFAULT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new ConnectionConfigError(`${LOCAL_KAFKA_PORT_ENV}=${raw} is not a valid TCP port`);
  return n;
}

/** kafkajs config for a SCRAM user on the local broker (no file access). Registers the ZSTD codec. */
export function localKafkaConfigFor(port: number, username: string, password: string): KafkaConfig {
  registerZstdCodec();
  return {
    clientId: `lakewall-local-${username}`,
    brokers: [`${LOCAL_STACK_HOST}:${port}`],
    ssl: false,
    sasl: { mechanism: LOCAL_KAFKA_SASL_MECHANISM, username, password },
  };
}

export interface LocalStackOptions {
  readonly env?: Env;
  /** Repository root to find the default state directory under. */
  readonly root?: string;
}

/**
 * kafkajs config for a principal of the running local stack (`admin` or a model principal):
 * broker port from the environment, password from the stack's credentials file.
 */
export function localStackKafkaConfig(principal: string, opts: LocalStackOptions = {}): KafkaConfig {
  const env = opts.env ?? process.env;
  const file = localStackCredentialsPath(localStackStatePath(env, opts.root));
  const creds = readLocalStackCredentials(file);
  if (!creds)
    throw new ConnectionConfigError(
      `the local stack has no credentials at ${file}; start it with \`npm run stack -- up\``,
    );
  const password = creds.kafka[principal];
  if (!password)
    throw new ConnectionConfigError(`no Kafka credentials for principal '${principal}' in ${file}`);
  return localKafkaConfigFor(localKafkaPort(env), principal, password);
}

/** Where the local broker keeps its KRaft metadata: <state dir>/kafka/data/meta.properties. */
export function localStackMetaPropertiesPath(stateDir: string = localStackStatePath()): string {
  return path.join(stateDir, 'kafka', 'data', 'meta.properties');
}

/**
 * The local cluster's id (written by the storage format at the stack's first start), so tools can
 * refuse to act on any other cluster. Undefined when the stack was never started.
 */
export function localStackClusterId(stateDir: string = localStackStatePath()): string | undefined {
  const file = localStackMetaPropertiesPath(stateDir);
  if (!fs.existsSync(file)) return undefined;
  const m = /^cluster\.id=(.+)$/m.exec(fs.readFileSync(file, 'utf8'));
  return m?.[1].trim();
}

/**
 *   <state dir>/endpoints.json        every component's endpoint, written by `up`: { connect: url, ... }
 *   <state dir>/admin-api/jwks.json   the public key the local admin API verifies tokens with
 *   <state dir>/admin-api/token-signing-key.jwk.json  its private key (0600), for `npm run admin-token`
 */
export const LOCAL_STACK_ENDPOINTS_FILE = 'endpoints.json';
export const LOCAL_TOKEN_ISSUER = 'urn:lakewall:local-stack';
export const LOCAL_TOKEN_AUDIENCE = 'lakewall-admin-api';

export function localStackEndpointsPath(stateDir: string = localStackStatePath()): string {
  return path.join(stateDir, LOCAL_STACK_ENDPOINTS_FILE);
}

/** Endpoints by component name, as `up` last wrote them. */
export function readLocalStackEndpoints(stateDir: string = localStackStatePath()): Record<string, string> {
  const file = localStackEndpointsPath(stateDir);
  if (!fs.existsSync(file))
    throw new ConnectionConfigError(`the local stack has no ${file}; start it with \`npm run stack -- up\``);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
}

export function localTokenKeyPaths(stateDir: string = localStackStatePath()): {
  dir: string;
  privateKey: string;
  jwks: string;
} {
  const dir = path.join(stateDir, 'admin-api');
  return { dir, privateKey: path.join(dir, 'token-signing-key.jwk.json'), jwks: path.join(dir, 'jwks.json') };
}
