import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeAllIfChanged, writeIfChanged } from './files';

describe('writing generated configuration', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakewall-files-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports a change only when the content differs', () => {
    const file = path.join(dir, 'nested', 'a.properties');
    expect(writeIfChanged(file, 'x=1\n')).toBe(true);
    expect(writeIfChanged(file, 'x=1\n')).toBe(false);
    expect(writeIfChanged(file, 'x=2\n')).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe('x=2\n');
  });

  it('writes secret files with mode 0600', () => {
    const file = path.join(dir, 'secret.properties');
    writeIfChanged(file, 'password=s\n', 0o600);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('writes every file even after the first one changed', () => {
    const a = path.join(dir, 'all-a');
    const b = path.join(dir, 'all-b');
    fs.writeFileSync(b, 'old');
    expect(
      writeAllIfChanged([
        { file: a, content: 'new a' },
        { file: b, content: 'new b' },
      ]),
    ).toBe(true);
    expect(fs.readFileSync(b, 'utf8')).toBe('new b');
    expect(
      writeAllIfChanged([
        { file: a, content: 'new a' },
        { file: b, content: 'new b' },
      ]),
    ).toBe(false);
  });
});
