/**
 * The main job's monitor step: public-zone traffic from PostgreSQL through Debezium, checked by the
 * running monitor, then its figures (records checked, findings, lag) and where to look next.
 */
import type { PlatformModel } from '@lakewall/platform-model';
import { endpointOf } from './components';
import { stackContext } from './context';
import { freshId, insertRows } from './cdc';
import { parseExposition, renderMonitorSummary, type Sample } from './monitor-summary';
import { sleep } from './proc';

async function scrape(url: string): Promise<Sample[]> {
  const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`GET ${url}/metrics -> HTTP ${res.status}`);
  return parseExposition(await res.text());
}

const checkedOn = (samples: Sample[], topic: string) =>
  samples.find((s) => s.name === 'lakewall_monitor_records_checked_total' && s.labels.topic === topic)
    ?.value ?? 0;

async function waitUntil<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = ` (${(e as Error).message})`;
    }
    await sleep(500);
  }
  throw new Error(`timed out waiting for ${what}${last}`);
}

export async function showMonitor(model: PlatformModel, log: (m: string) => void): Promise<void> {
  const { ports } = stackContext();
  const urls = {
    monitor: endpointOf('monitor', ports),
    prometheus: endpointOf('prometheus', ports),
    alertmanager: endpointOf('alertmanager', ports),
  };
  await waitUntil(
    'the monitor to be ready (in its group, lag collected)',
    async () =>
      (await fetch(`${urls.monitor}/readyz`, { signal: AbortSignal.timeout(3000) })).ok ? true : undefined,
    90_000,
  );
  const topic = `${model.kafka.topicNaming.replace('{table}', 'market_data').replace('{zone}', 'public')}`;
  const before = checkedOn(await scrape(urls.monitor), topic);
  const id = freshId();
  const rows = [0, 1].map((i) => ({
    instrument_id: `DEMO${id + i}`,
    bid: '101.10000000',
    ask: '101.20000000',
    volume: 100 + i,
    quoted_at: new Date().toISOString(),
  }));
  await insertRows(model, 'market_data', rows);
  log(
    `inserted ${rows.length} quotes into market_data (public zone); the monitor checks every record on ${topic}`,
  );
  const samples = await waitUntil(
    `the monitor to check the new records on ${topic}`,
    async () => {
      const s = await scrape(urls.monitor);
      return checkedOn(s, topic) >= before + rows.length ? s : undefined;
    },
    90_000,
  );
  for (const line of renderMonitorSummary(samples, urls)) log(line);
}
