/**
 * What `npm start` shows of the CDC monitor: records checked per topic, findings, lag per group in
 * offsets and seconds, and where Prometheus and Alertmanager are. Read from the monitor's /metrics.
 */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Parses the Prometheus text exposition format (the subset prom-client writes). */
export function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m?.[1]) continue;
    const labels = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((x) => [
        x[1] ?? '',
        x[2] ?? '',
      ]),
    );
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

export interface SummaryUrls {
  readonly monitor: string;
  readonly prometheus: string;
  readonly alertmanager: string;
}

export function renderMonitorSummary(samples: readonly Sample[], urls: SummaryUrls): string[] {
  const of = (name: string) => samples.filter((s) => s.name === name);
  const lines: string[] = [`CDC monitor ${urls.monitor}/metrics`];
  for (const s of of('lakewall_monitor_records_checked_total'))
    lines.push(`  records checked  ${s.labels.topic}: ${s.value}`);
  const findings = of('lakewall_monitor_findings_total').filter((s) => s.value > 0);
  const total = findings.reduce((n, s) => n + s.value, 0);
  lines.push(
    `  findings         ${total}${total === 0 ? ' (no leak, unknown table or column, undecodable record)' : ''}`,
  );
  for (const s of findings)
    lines.push(`    ${s.labels.kind} on ${s.labels.topic} (table ${s.labels.table}): ${s.value}`);
  const groups = [
    ...new Set(of('kafka_consumergroup_members').map((s) => s.labels.consumergroup ?? '')),
  ].sort();
  for (const g of groups) {
    const mine = (name: string) => of(name).filter((s) => s.labels.consumergroup === g);
    const lag = mine('kafka_consumergroup_lag').reduce((n, s) => n + s.value, 0);
    const seconds = Math.max(0, ...mine('kafka_consumergroup_lag_seconds').map((s) => s.value));
    const status = mine('kafka_consumergroup_status').find((s) => s.value === 1)?.labels.status ?? '?';
    const members = mine('kafka_consumergroup_members')[0]?.value ?? 0;
    lines.push(
      `  lag              ${g}: ${lag} offsets, ${seconds.toFixed(1)} s, ${status}, ${members} member(s)`,
    );
  }
  lines.push(`  Prometheus       ${urls.prometheus}  (alerts: ${urls.prometheus}/alerts)`);
  lines.push(`  Alertmanager     ${urls.alertmanager}`);
  return lines;
}
