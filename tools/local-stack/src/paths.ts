import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';

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

/** Runtime state: data dirs, logs, pid files, generated configs, credentials. */
export function stateDir(env: Env = process.env, root?: string): string {
  if (env.LAKEWALL_STATE_DIR) return path.resolve(env.LAKEWALL_STATE_DIR);
  return path.join(root ?? repoRoot(), '.lakewall', 'stack');
}

export function credentialsFile(state: string): string {
  return path.join(state, 'credentials.json');
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
