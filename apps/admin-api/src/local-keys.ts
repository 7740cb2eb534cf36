/**
 * The local stack's token key, created by `stack up` (layout in @lakewall/kafka-connection): the
 * API verifies against the public JWKS; `npm run admin-token` signs with the private key. On AWS
 * the identity provider holds the key and publishes the JWKS.
 */
import * as fs from 'node:fs';
import type { JWK } from 'jose';
import { localTokenKeyPaths } from '@lakewall/kafka-connection';

function readJson<T>(file: string): T {
  if (!fs.existsSync(file))
    throw new Error(`no token key at ${file}: start the local stack with \`npm run stack -- up\``);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

export function readLocalJwks(stateDir: string): { keys: JWK[] } {
  return readJson(localTokenKeyPaths(stateDir).jwks);
}

export function readLocalPrivateJwk(stateDir: string): JWK {
  return readJson(localTokenKeyPaths(stateDir).privateKey);
}
