import { loadPlatformModel } from '@lakewall/platform-model';
import { ensureStackUp, kafkaClientConfig } from './index';
import { applyTopicsAndAcls } from './topic-bootstrap';
import { printInfraSummary } from './infra-summary';
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

  await applyTopicsAndAcls(model, kafkaClientConfig('admin'), log);

  const connector = await registerDebezium(model);
  log(`Debezium connector ${connector} RUNNING`);

  const topic = cdcTopic(model, CDC_DEMO_TABLE);
  const who = DEMO_READER;
  const startAt = await topicEndOffsets(topic, who.principal);

  const base = freshId();
  const rows = [0, 1, 2].map((i) => sampleTrade(model, base + i));
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
