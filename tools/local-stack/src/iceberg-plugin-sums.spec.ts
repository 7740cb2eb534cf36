import { checksumProblems, parseSha256Sums } from './iceberg-plugin-sums';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('parseSha256Sums', () => {
  it('reads sha256sum output (text and binary markers)', () => {
    expect([...parseSha256Sums(`${A}  one.jar\n${B} *two.jar\n\n`)]).toEqual([
      ['one.jar', A],
      ['two.jar', B],
    ]);
  });

  it('names the line it cannot read', () => {
    expect(() => parseSha256Sums(`${A}  one.jar\nnot a sum\n`)).toThrow(/line 2/);
  });
});

describe('checksumProblems', () => {
  const expected = new Map([
    ['one.jar', A],
    ['two.jar', B],
  ]);

  it('accepts exactly the pinned files with their hashes', () => {
    expect(checksumProblems(expected, new Map(expected))).toEqual([]);
  });

  it('reports a missing, an altered and an unexpected jar', () => {
    const actual = new Map([
      ['one.jar', B],
      ['extra.jar', A],
    ]);
    expect(checksumProblems(expected, actual)).toEqual([
      `missing two.jar`,
      `one.jar: sha256 ${B}, expected ${A}`,
      'unexpected extra.jar',
    ]);
  });
});
