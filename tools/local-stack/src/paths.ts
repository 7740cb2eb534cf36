import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { localStackCredentialsPath, localStackStatePath } from '@lakewall/kafka-connection';

/** Walks up from this file to the directory holding nx.json (the repo root). */
export function repoRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'nx.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find repo root (nx.json) above ${start}`);
    dir = parent;
  }
}

export type Env = Record<string, string | undefined>;

/** Download cache, outside the work tree, shared by every clone. */
export function cacheDir(env: Env = process.env): string {
  if (env.LAKEWALL_CACHE_DIR) return path.resolve(env.LAKEWALL_CACHE_DIR);
  const xdg = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
  return path.join(xdg, 'lakewall');
}

/**
 * Runtime state: data dirs, logs, pid files, generated configs, credentials. The layout
 * (LAKEWALL_STATE_DIR, else <repo>/.lakewall/stack; credentials.json) is defined by
 * @lakewall/kafka-connection, which clients use to read it.
 */
export function stateDir(env: Env = process.env, root?: string): string {
  return localStackStatePath(env, root ?? repoRoot());
}

export function credentialsFile(state: string): string {
  return localStackCredentialsPath(state);
}

export function componentDir(state: string, component: string): string {
  return path.join(state, component);
}

export function logFile(state: string, component: string): string {
  return path.join(state, component, `${component}.log`);
}

export function pidFile(state: string, component: string): string {
  return path.join(state, component, `${component}.pid.json`);
}
