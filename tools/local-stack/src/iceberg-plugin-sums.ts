/** Pure checks of the Iceberg sink plugin's jars against the committed SHA256SUMS (unit-tested). */

/** Parses `sha256sum` output: `<64 hex>  <file name>` per line. */
export function parseSha256Sums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  text.split('\n').forEach((line, n) => {
    if (!line.trim()) return;
    const [, sha, file] = /^([0-9a-f]{64}) [ *]?(\S+)$/.exec(line.trim()) ?? [];
    if (!sha || !file) throw new Error(`SHA256SUMS line ${n + 1} is not '<sha256>  <file>': ${line}`);
    sums.set(file, sha);
  });
  return sums;
}

/**
 * What is wrong with the downloaded jars (name -> sha256) against the pinned list: missing,
 * unexpected and altered files. Empty when they match exactly.
 */
export function checksumProblems(expected: Map<string, string>, actual: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const [file, sha] of expected) {
    const got = actual.get(file);
    if (!got) problems.push(`missing ${file}`);
    else if (got !== sha) problems.push(`${file}: sha256 ${got}, expected ${sha}`);
  }
  for (const file of actual.keys()) if (!expected.has(file)) problems.push(`unexpected ${file}`);
  return problems.sort();
}
