/**
 * Lets the integration global setup resolve `@lakewall/*` imports from
 * tsconfig.base.json `paths` when workspace packages are not linked into node_modules.
 * A no-op when the repository root cannot be found.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Module from 'node:module';

type Resolve = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;

function findRoot(start: string): string | undefined {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'nx.json')) && fs.existsSync(path.join(dir, 'tsconfig.base.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const root = findRoot(__dirname);
if (root) {
  const base = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> };
  };
  const baseUrl = path.resolve(root, base.compilerOptions?.baseUrl ?? '.');
  const map = new Map<string, string>();
  for (const [name, targets] of Object.entries(base.compilerOptions?.paths ?? {})) {
    if (!name.includes('*') && targets[0]) map.set(name, path.resolve(baseUrl, targets[0]));
  }
  const mod = Module as unknown as { _resolveFilename: Resolve };
  const original = mod._resolveFilename;
  mod._resolveFilename = function (request, parent, isMain, options) {
    try {
      return original.call(this, request, parent, isMain, options);
    } catch (e) {
      const target = map.get(request);
      if (target) return original.call(this, target, parent, isMain, options);
      throw e;
    }
  };
}
