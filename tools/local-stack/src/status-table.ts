import type { StackStatus } from './status';

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

export function renderStatusTable(s: StackStatus): string {
  const rows = s.components.map((c) => [
    c.name,
    c.healthy ? 'healthy' : 'UNHEALTHY',
    c.pid ? String(c.pid) : '-',
    c.endpoint,
    c.pid ? mib(c.rssBytes) : '-',
    c.reason ?? '',
  ]);
  const head = ['COMPONENT', 'STATE', 'PID', 'ENDPOINT', 'RSS', 'DETAIL'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string =>
    r
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line(head),
    ...rows.map(line),
    '',
    `total RSS: ${mib(s.totalRssBytes)}   credentials: ${s.credentialsFile}`,
    `stack: ${s.healthy ? 'healthy' : 'UNHEALTHY'}`,
  ].join('\n');
}
