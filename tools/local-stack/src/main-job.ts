import { loadPlatformModel } from '@lakewall/platform-model';
import { ensureStackUp, kafkaClientConfig } from './index';
import { printInfraSummary } from './infra-summary';
import { showMonitor } from './monitor-demo';
import { printAdminApiInfo } from './admin-api-info';
import { listLakeTables, registerIcebergSinks } from './lake';
import {
  CDC_DEMO_TABLE,
  cdcTopic,
  DEMO_READER,
  freshId,
  insertRows,
  readChangeEvents,
  registerDebezium,
  sampleTrade,
  topicEndOffsets,
} from './cdc';

const log = (m: string): void => {
  process.stdout.write(`[main] ${m}\n`);
};

async function main(): Promise<void> {
  const model = loadPlatformModel();
  const status = await ensureStackUp();
  log(`stack healthy (total RSS ${(status.totalRssBytes / 1048576).toFixed(0)} MiB)`);

  const adminApi = status.components.find((c) => c.name === 'admin-api');
  if (adminApi) await printAdminApiInfo(adminApi.endpoint, log);

  const connector = await registerDebezium(model);
  log(`Debezium connector ${connector} RUNNING`);
  const sinks = await registerIcebergSinks(model);
  log(`Iceberg sinks ${sinks.join(', ')} RUNNING (tables declared from the model)`);
  const lakeTable = `${CDC_DEMO_TABLE}`;
  const rowsBefore = (await listLakeTables(model)).find((t) => t.table === lakeTable)?.rows ?? 0;

  const topic = cdcTopic(model, CDC_DEMO_TABLE);
  const who = DEMO_READER;
  const startAt = await topicEndOffsets(topic, who.principal);

  const base = freshId();
  const rows = [0, 1, 2].map((i) => sampleTrade(model, base + i));
  const insertedAt = Date.now();
  await insertRows(model, CDC_DEMO_TABLE, rows);
  log(`inserted ${rows.length} rows into ${CDC_DEMO_TABLE} (trade_id ${base}..${base + 2})`);

  log(`reading ${topic} as ${who.principal}`);
  const wanted = new Set(rows.map((r) => String(r.trade_id)));
  const events = await readChangeEvents(
    topic,
    who,
    (evs) => [...wanted].every((id) => evs.some((e) => String(e.after?.trade_id ?? '') === id)),
    90_000,
    startAt,
    kafkaClientConfig(who.principal),
  );
  for (const e of events.filter((x) => wanted.has(String(x.after?.trade_id ?? '')))) {
    const a = e.after ?? {};
    log(
      `op=${e.op} key=${JSON.stringify(e.key)} ${a.side} ${a.quantity} ${a.instrument_id} @ ${a.price} ${a.currency} on ${a.venue}`,
    );
  }
  log(`all ${wanted.size} new trades seen on ${topic}`);

  // Insert-to-lake: the Iceberg snapshot that made the rows visible, from the table's own metadata.
  const until = Date.now() + 180_000;
  let tables = await listLakeTables(model);
  const landed = () => (tables.find((t) => t.table === lakeTable)?.rows ?? 0) >= rowsBefore + rows.length;
  while (!landed() && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 1000));
    tables = await listLakeTables(model);
  }
  if (!landed()) throw new Error(`the ${rows.length} trades did not reach the lake within 180 s`);
  for (const t of tables) log(`lake ${t.namespace}.${t.table}: ${t.rows} rows, ${t.snapshots} snapshots`);
  const commit = tables.find((t) => t.table === lakeTable)!.lastCommitMs!;
  log(
    `insert to committed in the lake: ${((commit - insertedAt) / 1000).toFixed(1)} s (commit interval ${model.environments.local.lake.commitIntervalMs / 1000} s)`,
  );
  await showMonitor(model, log);

  printInfraSummary(log);
  log('done');
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`[main] FAILED: ${(e as Error).message}\n`);
    process.exit(1);
  },
);
