/**
 * The local stack's token signing key: an ES256 key pair generated once at `stack up`, kept in the
 * state directory. The API verifies against the public JWKS; `npm run admin-token` signs with the
 * private key. On AWS the identity provider holds the key and publishes the JWKS.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JWK } from 'jose';

export const LOCAL_TOKEN_DIR = 'admin-api';
export const LOCAL_PRIVATE_KEY_FILE = 'token-signing-key.jwk.json';
export const LOCAL_JWKS_FILE = 'jwks.json';
export const LOCAL_ISSUER = 'urn:lakewall:local-stack';
export const LOCAL_AUDIENCE = 'lakewall-admin-api';

export interface LocalKeyPaths {
  readonly dir: string;
  readonly privateKey: string;
  readonly jwks: string;
}

export function localKeyPaths(stateDir: string): LocalKeyPaths {
  const dir = path.join(stateDir, LOCAL_TOKEN_DIR);
  return { dir, privateKey: path.join(dir, LOCAL_PRIVATE_KEY_FILE), jwks: path.join(dir, LOCAL_JWKS_FILE) };
}

/** Creates the key pair when missing; true when it wrote one. The private key file is 0600. */
export function ensureLocalSigningKey(stateDir: string): boolean {
  const p = localKeyPaths(stateDir);
  if (fs.existsSync(p.privateKey) && fs.existsSync(p.jwks)) return false;
  fs.mkdirSync(p.dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomUUID();
  const priv = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' };
  const pub = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' };
  fs.writeFileSync(p.privateKey, JSON.stringify(priv), { mode: 0o600 });
  fs.writeFileSync(p.jwks, JSON.stringify({ keys: [pub] }, null, 2), { mode: 0o644 });
  return true;
}

export function readLocalJwks(stateDir: string): { keys: Record<string, unknown>[] } {
  const p = localKeyPaths(stateDir);
  if (!fs.existsSync(p.jwks))
    throw new Error(`no token key at ${p.jwks}: start the local stack with \`npm run stack -- up\``);
  return JSON.parse(fs.readFileSync(p.jwks, 'utf8')) as { keys: Record<string, unknown>[] };
}

export function readLocalPrivateJwk(stateDir: string): JWK {
  const p = localKeyPaths(stateDir);
  if (!fs.existsSync(p.privateKey))
    throw new Error(`no token key at ${p.privateKey}: start the local stack with \`npm run stack -- up\``);
  return JSON.parse(fs.readFileSync(p.privateKey, 'utf8')) as JWK;
}
