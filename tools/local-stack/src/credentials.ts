import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  LOCAL_CONNECT_REST_USER,
  LOCAL_KAFKA_ADMIN,
  readLocalStackCredentials,
  type LocalStackCredentials,
} from '@lakewall/kafka-connection';

/** The credentials file's shape is shared with its readers (@lakewall/kafka-connection). */
export type Credentials = LocalStackCredentials;

export const KAFKA_ADMIN = LOCAL_KAFKA_ADMIN;
export const PG_SUPERUSER = 'postgres';
/** The local S3 server's identity (not a secret; its credential is). */
export const LOCAL_S3_ACCESS_KEY_ID = 'lakewall-local';

/** A password `ensureCredentials` generated; a clear error if the credentials file lacks it. */
export function passwordOf(creds: Credentials, kind: 'kafka' | 'postgres', name: string): string {
  const pw = creds[kind][name];
  if (!pw)
    throw new Error(
      `the local stack's credentials have no ${kind === 'kafka' ? 'Kafka' : 'PostgreSQL'} password for '${name}'`,
    );
  return pw;
}

export function controllerPasswordOf(creds: Credentials): string {
  if (!creds.kafkaController)
    throw new Error("the local stack's credentials have no Kafka controller password");
  return creds.kafkaController;
}

export function delegationTokenSecretOf(creds: Credentials): string {
  if (!creds.kafkaDelegationTokenSecret)
    throw new Error("the local stack's credentials have no delegation token secret");
  return creds.kafkaDelegationTokenSecret;
}

export function generatePassword(): string {
  // URL-safe, no quotes/brackets/commas: safe inside JAAS strings, SCRAM config specs and libpq.
  return crypto.randomBytes(24).toString('base64url');
}

export function readCredentials(file: string): Credentials | undefined {
  return readLocalStackCredentials(file);
}

/**
 * Ensures every requested principal/role has a password; existing ones are kept so a
 * re-run of `up` converges without changing secrets. Written atomically with mode 0600.
 */
export function ensureCredentials(file: string, kafkaUsers: string[], pgRoles: string[]): Credentials {
  const creds = readCredentials(file) ?? { kafka: {}, postgres: {} };
  let changed = false;
  for (const u of [KAFKA_ADMIN, ...kafkaUsers]) {
    if (!creds.kafka[u]) {
      creds.kafka[u] = generatePassword();
      changed = true;
    }
  }
  for (const r of [PG_SUPERUSER, ...pgRoles]) {
    if (!creds.postgres[r]) {
      creds.postgres[r] = generatePassword();
      changed = true;
    }
  }
  if (!creds.kafkaController) {
    creds.kafkaController = generatePassword();
    changed = true;
  }
  if (!creds.kafkaDelegationTokenSecret) {
    creds.kafkaDelegationTokenSecret = generatePassword();
    changed = true;
  }
  if (!creds.s3) {
    creds.s3 = { accessKeyId: LOCAL_S3_ACCESS_KEY_ID, secretAccessKey: generatePassword() };
    changed = true;
  }
  if (!creds.connectRest?.[LOCAL_CONNECT_REST_USER]) {
    creds.connectRest = { ...creds.connectRest, [LOCAL_CONNECT_REST_USER]: generatePassword() };
    changed = true;
  }
  if (changed || !fs.existsSync(file)) writeSecretFile(file, JSON.stringify(creds, null, 2) + '\n');
  fs.chmodSync(file, 0o600);
  return creds;
}

/** Writes a file only the owner can read, atomically (tmp + rename). */
export function writeSecretFile(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

/** Every password the stack generated (Kafka, PostgreSQL, controller, Connect REST). */
export function allSecrets(creds: Credentials): string[] {
  return [
    ...Object.values(creds.kafka),
    ...Object.values(creds.postgres),
    creds.kafkaController ?? '',
    creds.kafkaDelegationTokenSecret ?? '',
    ...Object.values(creds.connectRest ?? {}),
    creds.s3?.secretAccessKey ?? '',
  ].filter((x) => x.length >= 8);
}

/** Replaces every generated password in `text` with ***. */
export function hideSecrets(text: string, creds: Credentials): string {
  return allSecrets(creds).reduce((t, pw) => t.split(pw).join('***'), text);
}
