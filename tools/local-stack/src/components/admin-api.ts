/**
 * The admin API (apps/admin-api), run from source with tsx, as the model's admin-api principal.
 * `up` creates the token signing key it verifies against (an ES256 key pair in the state
 * directory, layout in @lakewall/kafka-connection) and the endpoints file it reads its backing
 * services from; `npm run admin-token` signs with the same key.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { localTokenKeyPaths } from '@lakewall/kafka-connection';
import type { UpContext } from '../context';
import { ensureDir } from '../files';
import { componentDir, logFile, pidFile, repoRoot } from '../paths';
import { HOST } from '../ports';
import { spawnDaemon } from '../proc';
import { recordModelFingerprint } from './model-fingerprint';
import { httpOk, type ComponentSpec } from './component';

const MAIN = path.join('apps', 'admin-api', 'src', 'main.ts');

/** Creates the key pair once; true when it wrote a new one (a running API must then reload it). */
export function ensureTokenSigningKey(state: string): boolean {
  const p = localTokenKeyPaths(state);
  if (fs.existsSync(p.privateKey) && fs.existsSync(p.jwks)) return false;
  ensureDir(p.dir, 0o700);
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const common = { kid: randomUUID(), alg: 'ES256', use: 'sig' };
  fs.writeFileSync(p.privateKey, JSON.stringify({ ...privateKey.export({ format: 'jwk' }), ...common }), {
    mode: 0o600,
  });
  fs.writeFileSync(
    p.jwks,
    JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), ...common }] }, null, 2),
  );
  return true;
}

function startAdminApi(ctx: UpContext): number {
  const root = repoRoot();
  const main = path.join(root, MAIN);
  return spawnDaemon({
    cmd: process.execPath,
    args: [
      path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      main,
      '--env',
      'local',
      '--port',
      String(ctx.ports.adminApi),
    ],
    cwd: root,
    env: { ...process.env, LAKEWALL_STATE_DIR: ctx.state, NODE_OPTIONS: '--max-old-space-size=256' },
    logFile: logFile(ctx.state, 'admin-api'),
    pidFile: pidFile(ctx.state, 'admin-api'),
    marker: main,
  });
}

export const adminApi: ComponentSpec = {
  endpoint: (p) => `http://${HOST}:${p.adminApi}`,
  ports: (p) => [p.adminApi],
  readyTimeoutMs: 60_000,
  health: (ctx) => httpOk(`http://${HOST}:${ctx.ports.adminApi}/readyz`),
  configure: (ctx) => {
    const keyChanged = ensureTokenSigningKey(ctx.state);
    ensureDir(componentDir(ctx.state, 'admin-api'));
    return recordModelFingerprint(ctx, 'admin-api') || keyChanged;
  },
  start: (ctx) => {
    ensureTokenSigningKey(ctx.state);
    return startAdminApi(ctx);
  },
  stop: { timeoutMs: 15_000 },
};
