import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** src/testing (@lakewall/topic-admin/testing) is for tests and benchmarks: the library must not use it. */
describe('the testing entry point stays out of the library code', () => {
  const src = path.resolve(__dirname, '../src');
  const files = (readdirSync(src, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
    .filter((f) => f.split(path.sep)[0] !== 'testing');

  it.each(files)('%s does not import src/testing', (file) => {
    const text = readFileSync(path.join(src, file), 'utf8');
    const specifiers = [...text.matchAll(/from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]/g)].map(
      (m) => m[1] ?? m[2],
    );
    const fromTesting = specifiers.filter(
      (s) =>
        s === '@lakewall/topic-admin/testing' ||
        (s.startsWith('.') &&
          path.relative(src, path.resolve(src, path.dirname(file), s)).split(path.sep)[0] === 'testing'),
    );
    expect(fromTesting).toEqual([]);
  });

  it('covers the main entry point (index.ts), so it cannot re-export src/testing', () => {
    expect(files).toContain('index.ts');
  });
});
