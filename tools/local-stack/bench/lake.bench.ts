/**
 * The lake's benchmark, on the running local stack (`npx nx run local-stack:bench`):
 *
 * 1. Baseline: 100,000 rows from PostgreSQL through Debezium to Kafka alone (the public sink
 *    stopped), rows per second until the last change is in Kafka.
 * 2. The same number of rows through Debezium, Kafka and the Iceberg sink, rows per second until
 *    the Iceberg snapshot that holds the last one is committed; the ratio to (1) is the sink's cost.
 * 3. Freshness at the model's local commit interval: single-row inserts every 250 ms for a minute,
 *    each row's time from INSERT to the commit of the snapshot that made it visible (p50, p99).
 * The Connect worker's resident memory is sampled throughout (peak per phase).
 *
 * The baseline's rows are skipped by the sink afterwards (moved past, as an operator would after
 * a stop): they are in Kafka, not in the lake. Uses the public zone's table with a composite key,
 * which nothing else in the suite writes in bulk.
 */
import * as fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { loadPlatformModel, publishedColumns, tablesOf, topicName } from '@lakewall/platform-model';
import {
  connectClient,
  ensureStackUp,
  kafkaClientConfig,
  pgConnectionConfig,
  readStackStatus,
} from '../src/index';
import { registerDebezium } from '../src/cdc';
import { applyTopicsAndAcls } from '../src/topic-bootstrap';
import { lakeSnapshots, registerIcebergSinks } from '../src/lake';
import { releaseSinkPastEnd } from '../src/sink-release';

const ROWS = Number(process.env.LAKE_BENCH_ROWS ?? 100_000);
const FRESHNESS_ROWS = 240;
const FRESHNESS_EVERY_MS = 250;

const model = loadPlatformModel();
const found = tablesOf(model).find((t) => t.classification === 'public' && t.primaryKey.length > 1);
if (!found) throw new Error('the bench needs a public table with a composite key in the model');
const table = found;
const topic = topicName(model, table.name, 'public');
const lakeTable = `${model.project}_raw_public.${table.name}`;
const sinkName = 'lakewall-sink-public';

/** A SQL expression per published column over generate_series' `g`, unique per run in the key. */
function rowSql(run: string): { columns: string; select: string } {
  const cols = publishedColumns(table);
  const expr = (name: string, type: string): string => {
    if (/^numeric/.test(type)) return `(100 + (g % 1000) / 8.0)`;
    if (type === 'bigint' || type === 'integer') return `g`;
    if (type.startsWith('timestamp')) return `now() + g * interval '1 microsecond'`;
    return `'${run}-' || g || '-${name}'`;
  };
  return {
    columns: cols.map((c) => `"${c.name}"`).join(', '),
    select: cols.map((c) => expr(c.name, c.type)).join(', '),
  };
}

async function insertSeries(pg: Client, run: string, from: number, to: number): Promise<void> {
  const { columns, select } = rowSql(run);
  await pg.query(
    `INSERT INTO "${model.source.schema}"."${table.name}" (${columns}) SELECT ${select} FROM generate_series(${from}, ${to}) g`,
  );
}

class RssSampler {
  private peak = 0;
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly pid: number) {}
  start(): void {
    this.peak = 0;
    this.timer = setInterval(() => {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      if (m) this.peak = Math.max(this.peak, Number(m[1]) * 1024);
    }, 250);
  }
  stop(): number {
    clearInterval(this.timer);
    return this.peak;
  }
}

async function endOffsetSum(admin: ReturnType<Kafka['admin']>): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((s, p) => s + Number(p.high), 0);
}

async function untilInKafka(admin: ReturnType<Kafka['admin']>, target: number): Promise<number> {
  for (;;) {
    if ((await endOffsetSum(admin)) >= target) return Date.now();
    await sleep(100);
  }
}

/** Commit time of the snapshot that brought the table's added rows since `before` up to `rows`. */
function committedAt(snapshotsBefore: number, rows: number): number | undefined {
  let added = 0;
  for (const s of lakeSnapshots(lakeTable).slice(snapshotsBefore)) {
    added += s.addedRows;
    if (added >= rows) return s.committedMs;
  }
  return undefined;
}

async function untilInLake(snapshotsBefore: number, rows: number, timeoutMs: number): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const at = committedAt(snapshotsBefore, rows);
    if (at !== undefined) return at;
    if (Date.now() > until)
      throw new Error(`${rows} rows did not reach ${lakeTable} in ${timeoutMs / 1000} s`);
    await sleep(2000);
  }
}

const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const mib = (b: number): string => `${(b / 1048576).toFixed(0)} MiB`;

async function main(): Promise<void> {
  await ensureStackUp();
  await applyTopicsAndAcls(() => undefined);
  await registerDebezium(model);
  await registerIcebergSinks(model).catch(() => releaseSinkPastEnd(model, 'public'));
  const connectPid = (await readStackStatus()).components.find((c) => c.name === 'connect')?.pid;
  if (!connectPid) throw new Error('the Connect worker is not running');
  const rss = new RssSampler(connectPid);
  const connect = connectClient();
  const admin = new Kafka({ ...kafkaClientConfig('admin'), logLevel: logLevel.NOTHING }).admin();
  const pg = new Client(pgConnectionConfig('admin'));
  await admin.connect();
  await pg.connect();
  const run = `b${Date.now().toString(36)}`;
  try {
    // 1. Debezium to Kafka alone.
    await connect.stopConnector(sinkName);
    await connect.waitForState(sinkName, 'STOPPED', 60_000);
    let base = await endOffsetSum(admin);
    rss.start();
    let t0 = Date.now();
    await insertSeries(pg, `${run}a`, 1, ROWS);
    const kafkaOnlyMs = (await untilInKafka(admin, base + ROWS)) - t0;
    const kafkaOnlyRss = rss.stop();
    await releaseSinkPastEnd(model, 'public');

    // 2. Through the Iceberg sink.
    const snapshotsBefore = lakeSnapshots(lakeTable).length;
    base = await endOffsetSum(admin);
    rss.start();
    t0 = Date.now();
    await insertSeries(pg, `${run}b`, 1, ROWS);
    const withSinkKafkaMs = (await untilInKafka(admin, base + ROWS)) - t0;
    const lakeMs = (await untilInLake(snapshotsBefore, ROWS, 600_000)) - t0;
    const lakeRss = rss.stop();

    // 3. Freshness: one row at a time.
    const freshBefore = lakeSnapshots(lakeTable).length;
    const insertedAt: number[] = [];
    rss.start();
    for (let i = 1; i <= FRESHNESS_ROWS; i++) {
      insertedAt.push(Date.now());
      await insertSeries(pg, `${run}c`, i, i);
      await sleep(FRESHNESS_EVERY_MS);
    }
    await untilInLake(freshBefore, FRESHNESS_ROWS, 180_000);
    const freshRss = rss.stop();
    // Rows reach the sink in insert order; each snapshot holds the next addedRows of them.
    const latencies: number[] = [];
    let next = 0;
    for (const s of lakeSnapshots(lakeTable).slice(freshBefore)) {
      for (let k = 0; k < s.addedRows && next < insertedAt.length; k++, next++)
        latencies.push(s.committedMs - (insertedAt[next] ?? s.committedMs));
    }
    latencies.sort((a, b) => a - b);

    const kafkaRate = ROWS / (kafkaOnlyMs / 1000);
    const lakeRate = ROWS / (lakeMs / 1000);
    const interval = model.environments.local.lake.commitIntervalMs;
    const lines = [
      `lake benchmark: ${ROWS.toLocaleString('en')} rows of ${table.name}, local commit interval ${interval / 1000} s`,
      `  PostgreSQL -> Debezium -> Kafka (sink stopped)   ${kafkaOnlyMs} ms   ${kafkaRate.toFixed(0)} rows/s   Connect RSS peak ${mib(kafkaOnlyRss)}`,
      `  PostgreSQL -> ... -> Iceberg (committed)          ${lakeMs} ms   ${lakeRate.toFixed(0)} rows/s   Connect RSS peak ${mib(lakeRss)}`,
      `    of which in Kafka after                          ${withSinkKafkaMs} ms`,
      `  ratio (through the sink / Kafka alone)           ${(lakeRate / kafkaRate).toFixed(2)}x`,
      `  freshness, insert to committed (${latencies.length} single-row inserts every ${FRESHNESS_EVERY_MS} ms): p50 ${(pct(latencies, 50) / 1000).toFixed(1)} s, p99 ${(pct(latencies, 99) / 1000).toFixed(1)} s, max ${(pct(latencies, 100) / 1000).toFixed(1)} s   Connect RSS peak ${mib(freshRss)}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await pg.end();
    await admin.disconnect();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`lake bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
