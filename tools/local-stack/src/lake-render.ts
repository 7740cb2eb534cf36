/** Pure rendering for `npm run lake` (unit-tested). */
import type { LakeTableInfo } from './lake';

export function renderLakeTables(tables: readonly LakeTableInfo[]): string {
  const rows = tables.map((t) => [
    `${t.namespace}.${t.table}`,
    String(t.snapshots),
    String(t.rows),
    t.lastCommitMs === null ? '-' : new Date(t.lastCommitMs).toISOString(),
  ]);
  const header = ['TABLE', 'SNAPSHOTS', 'ROWS', 'LAST COMMIT (UTC)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return (
    [header, ...rows]
      .map((r) =>
        r
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** `<zone>.<table>` -> the table's Iceberg identifier in that zone's raw namespace; a clear error otherwise. */
export function parseLakeTableRef(
  ref: string,
  tables: readonly { zone: string; namespace: string; name: string }[],
): string {
  const [zone, table, extra] = ref.split('.');
  const found = tables.find((t) => t.zone === zone && t.name === table);
  if (!zone || !table || extra !== undefined || !found)
    throw new Error(
      `unknown lake table '${ref}': expected <zone>.<table>, one of ${tables.map((t) => `${t.zone}.${t.name}`).join(', ')}`,
    );
  return `${found.namespace}.${found.name}`;
}
