import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_DOCKERFILES } from '../src/stacks/service-images';

const REPO_ROOT = join(__dirname, '../../..');
/** Paths the build context leaves out (.dockerignore): an image must not COPY from them. */
const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#') && !l.startsWith('**/') && !l.includes('*'));

describe.each(Object.entries(SERVICE_DOCKERFILES))('the %s image (%s)', (_app, file) => {
  const dockerfile = readFileSync(join(REPO_ROOT, file), 'utf8');
  // COPY/ADD sources from the build context (not from another stage or a URL).
  const sources = [...dockerfile.matchAll(/^(?:COPY|ADD)\s+(?!.*--from=)(?:--\S+\s+)*(.+)$/gm)]
    .flatMap((m) => m[1]!.trim().split(/\s+/).slice(0, -1))
    .filter((s) => !/^https?:\/\//.test(s));

  it('copies nothing the build context leaves out (the deploy builds it from the repository root)', () => {
    const outside = sources.filter((s) => ignored.some((i) => s === i || s.startsWith(`${i}/`)));
    expect(outside).toEqual([]);
  });

  it('runs as an unprivileged user with a health check', () => {
    const users = [...dockerfile.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).not.toMatch(/^(0|root)(:|$)/);
    if (!/CMD \["apply"\]/.test(dockerfile)) expect(dockerfile).toMatch(/^HEALTHCHECK /m);
  });
});
