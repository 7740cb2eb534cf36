/**
 * Resolves `@lakewall/*` imports from tsconfig.base.json `paths` when the workspace packages are
 * not linked into node_modules (e.g. a clone where `npm install` has not linked the workspaces).
 * Imported first by the CLI and the main job; a no-op for anything already resolvable.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Module from 'node:module';
import { repoRoot } from './paths';

type Resolve = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;

export function workspacePathMap(root: string): Record<string, string> {
  const base = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> };
  };
  const baseUrl = path.resolve(root, base.compilerOptions?.baseUrl ?? '.');
  const out: Record<string, string> = {};
  for (const [name, targets] of Object.entries(base.compilerOptions?.paths ?? {})) {
    if (!name.includes('*') && targets[0]) out[name] = path.resolve(baseUrl, targets[0]);
  }
  return out;
}

const root = repoRoot();
const map = workspacePathMap(root);
const mod = Module as unknown as { _resolveFilename: Resolve };
const original = mod._resolveFilename;
mod._resolveFilename = function (request, parent, isMain, options) {
  try {
    return original.call(this, request, parent, isMain, options);
  } catch (e) {
    const target = map[request];
    if (target) return original.call(this, target, parent, isMain, options);
    throw e;
  }
};
