/**
 * Benchmark of the CDC monitor on the local stack, printing figures and ratios:
 * 1. checking throughput: the monitor's consumer (decode + check against the model + metrics,
 *    offsets committed after the checks) against a bare kafkajs eachBatch consumer that decodes the
 *    same records and does nothing else (the tuned baseline: autoCommit off, commits at most once a
 *    second), with 1 KiB Debezium records in JSON and in Avro (through the registry);
 * 2. lag collection cycle and scrape duration with LAG_PARTITIONS partitions (5,000 by default);
 * 3. resident memory of this process and of the stack's running monitor.
 * Everything it creates lives under a throw-away prefix and is deleted at the end.
 *
 *   npx nx run cdc-monitor:bench        (RECORDS=100000 LAG_PARTITIONS=5000 by default)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import pino from 'pino';
import { localStackKafkaConfig, localStackStatePath } from '@lakewall/kafka-connection';
import { deriveMonitorDeployment, deriveRecordCheckRules, loadPlatformModel } from '@lakewall/platform-model';
import { cleanupPrefix, testPrefix } from '@lakewall/topic-admin/testing';
import { LagCollector } from '@lakewall/lag-collector';
import { RecordChecker, RegistryAvroSource } from '@lakewall/record-checker';
import { readConfig } from '../src/config';
import { LeakConsumer } from '../src/leak-consumer';
import { createMetrics } from '../src/metrics';

const RECORDS = Number(process.env.RECORDS ?? 100_000);
const LAG_PARTITIONS = Number(process.env.LAG_PARTITIONS ?? 5000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const PARTITIONS_PER_TOPIC = 100;
const model = loadPlatformModel();
const config = readConfig({ env: 'local' }, process.env);
const kafka = new Kafka({ ...localStackKafkaConfig('admin'), logLevel: logLevel.NOTHING });
const log = pino({ level: 'silent' });
const out = (s: string) => process.stdout.write(`${s}\n`);

/** A reference_data change event padded to about 1 KiB, as Debezium's JsonConverter writes it. */
function referenceRow(i: number, nameLength = 520): Record<string, unknown> {
  return {
    instrument_id: `INS${i}`,
    isin: 'US0378331005',
    symbol: 'AAPL',
    name: `Instrument ${i} `.padEnd(nameLength, 'x'),
    asset_class: 'equity',
    currency: 'USD',
    lot_size: 100,
    updated_at: '2026-11-25T10:00:00.000000Z',
  };
}
function envelope(i: number, nameLength?: number): Record<string, unknown> {
  return {
    before: null,
    after: referenceRow(i, nameLength),
    source: {
      version: '3.4.3.Final',
      connector: 'postgresql',
      name: 'lakewall-unrouted',
      ts_ms: Date.now(),
      snapshot: 'false',
      db: model.source.database,
      sequence: '[null,"23990432"]',
      schema: model.source.schema,
      table: 'reference_data',
      txId: 1234,
      lsn: 23990432,
      xmin: null,
    },
    op: 'c',
    ts_ms: Date.now(),
    transaction: null,
  };
}
const avroSchema = {
  type: 'record',
  name: 'Envelope',
  namespace: 'lakewall_unrouted.public.reference_data',
  fields: [
    {
      name: 'before',
      type: [
        'null',
        {
          type: 'record',
          name: 'Value',
          fields: Object.keys(referenceRow(0)).map((n) => ({
            name: n,
            type: n === 'lot_size' ? 'int' : 'string',
          })),
        },
      ],
      default: null,
    },
    { name: 'after', type: ['null', 'Value'], default: null },
    {
      name: 'source',
      type: {
        type: 'record',
        name: 'Source',
        namespace: 'io.debezium.connector.postgresql',
        fields: [
          ...['version', 'connector', 'name'].map((n) => ({ name: n, type: 'string' })),
          { name: 'ts_ms', type: 'long' },
          ...['snapshot', 'db', 'sequence', 'schema', 'table'].map((n) => ({ name: n, type: 'string' })),
          { name: 'txId', type: 'long' },
          { name: 'lsn', type: 'long' },
        ],
      },
    },
    { name: 'op', type: 'string' },
    { name: 'ts_ms', type: ['null', 'long'], default: null },
  ],
};

async function produce(topic: string, value: (i: number) => Buffer): Promise<number> {
  const producer = kafka.producer();
  await producer.connect();
  let bytes = 0;
  for (let i = 0; i < RECORDS; i += 1000) {
    const messages = Array.from({ length: Math.min(1000, RECORDS - i) }, (_, j) => {
      const v = value(i + j);
      bytes += v.length;
      return { key: Buffer.from(JSON.stringify({ instrument_id: `INS${i + j}` })), value: v };
    });
    await producer.send({ topic, acks: 1, messages });
  }
  await producer.disconnect();
  return bytes / RECORDS;
}

/** The baseline: a bare eachBatch consumer that decodes every record and does nothing else. */
async function bareConsumer(
  topic: string,
  decode: (b: Buffer) => unknown | Promise<unknown>,
): Promise<number> {
  const consumer = kafka.consumer({ groupId: `${topic}-bare-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let started = 0;
  let lastCommit = 0;
  const done = new Promise<number>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset }) => {
        if (!started) started = Date.now();
        for (const m of batch.messages) {
          await decode(m.value!);
          resolveOffset(m.offset);
          seen++;
        }
        if (Date.now() - lastCommit > 1000) {
          lastCommit = Date.now();
          const last = batch.messages[batch.messages.length - 1];
          if (last)
            await consumer.commitOffsets([
              { topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() },
            ]);
        }
        if (seen >= RECORDS) resolve((Date.now() - started) / 1000);
      },
    });
  });
  const seconds = await done;
  await consumer.disconnect();
  return RECORDS / seconds;
}

/** The monitor's own consumer: decode, check against the model, metrics, commit after checking. */
async function monitorConsumer(topic: string): Promise<number> {
  const deployment = deriveMonitorDeployment(model, 'local');
  const metrics = createMetrics({ lag: () => undefined, checkedTopics: [topic], groups: deployment.groups });
  const checker = new RecordChecker(
    deriveRecordCheckRules(model, 'local'),
    new RegistryAvroSource(config.registryUrl!),
  );
  let findings = 0;
  const consumer = new LeakConsumer({
    kafka,
    group: `${topic}-monitor-${Date.now()}`,
    topics: [topic],
    checker,
    metrics,
    onFinding: async () => {
      findings++;
    },
    log,
  });
  await consumer.start();
  const count = async () => (await metrics.recordsChecked.get()).values.reduce((a, v) => a + v.value, 0);
  while ((await count()) === 0) await sleep(5);
  const started = Date.now();
  const first = await count();
  while ((await count()) < RECORDS) await sleep(5);
  const seconds = (Date.now() - started) / 1000;
  await consumer.stop();
  if (findings) throw new Error(`clean benchmark records gave ${findings} finding(s)`);
  return (RECORDS - first) / seconds;
}

async function lagBench(admin: Admin, prefix: string): Promise<void> {
  const topics = Array.from(
    { length: Math.ceil(LAG_PARTITIONS / PARTITIONS_PER_TOPIC) },
    (_, i) => `${prefix}lag${i}`,
  );
  await admin.createTopics({
    topics: topics.map((topic) => ({ topic, numPartitions: PARTITIONS_PER_TOPIC })),
    timeout: 120_000,
  });
  const groups = Array.from({ length: 5 }, (_, g) => `${prefix}group${g}`);
  const producer = kafka.producer();
  await producer.connect();
  // Fresh partitions may not have elected their leader yet: retry a topic's send a few times.
  const retry = async (fn: () => Promise<unknown>) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (attempt >= 20) throw e;
        await sleep(500);
      }
    }
  };
  for (const topic of topics)
    await retry(() =>
      producer.send({
        topic,
        acks: 1,
        messages: Array.from({ length: PARTITIONS_PER_TOPIC }, (_, p) => ({ partition: p, value: 'x' })),
      }),
    );
  await producer.disconnect();
  // Commit an offset on every partition: one consumer per group joins once and commits them all.
  for (const [g, groupId] of groups.entries()) {
    const mine = topics.filter((_, i) => i % groups.length === g);
    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topics: mine });
    await consumer.run({ autoCommit: false, eachBatch: async () => undefined });
    await consumer.commitOffsets(
      mine.flatMap((topic) =>
        Array.from({ length: PARTITIONS_PER_TOPIC }, (_, partition) => ({ topic, partition, offset: '0' })),
      ),
    );
    await consumer.disconnect();
  }
  const collector = new LagCollector({ admin, knownGroups: groups });
  const cycles: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    const s = await collector.collectOnce();
    cycles.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (i === 0)
      out(
        `  collected ${s.groups.reduce((n, g) => n + g.partitions.length, 0)} group partitions over ${s.topicPartitions.length} topic partitions`,
      );
  }
  const metrics = createMetrics({ lag: () => collector.snapshot(), checkedTopics: [], groups: [] });
  // A scrape right after a collection renders the lag text (the worst case); later ones reuse it.
  const scrapes: number[] = [];
  const cached: number[] = [];
  let size = 0;
  for (let i = 0; i < 5; i++) {
    await collector.collectOnce();
    let t = process.hrtime.bigint();
    size = (await metrics.exposition()).length;
    scrapes.push(Number(process.hrtime.bigint() - t) / 1e6);
    t = process.hrtime.bigint();
    await metrics.exposition();
    cached.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  out(
    `  lag collection cycle: median ${median(cycles).toFixed(0)} ms (goal < 1000 ms), runs ${cycles.map((c) => c.toFixed(0)).join(', ')}`,
  );
  out(
    `  scrape: median ${median(scrapes).toFixed(1)} ms right after a collection, ${median(cached).toFixed(1)} ms cached ` +
      `(goal < 100 ms), ${(size / 1024).toFixed(0)} KiB of exposition`,
  );
}

function stackMonitorRss(): string {
  try {
    const pid = (
      JSON.parse(
        fs.readFileSync(path.join(localStackStatePath(), 'monitor', 'monitor.pid.json'), 'utf8'),
      ) as { pid: number }
    ).pid;
    const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? `${(Number(kb) / 1024).toFixed(0)} MiB` : 'unknown';
  } catch {
    return 'not running';
  }
}

async function main(): Promise<void> {
  const prefix = testPrefix('bench');
  const admin = kafka.admin();
  await admin.connect();
  try {
    const registry = new SchemaRegistry({ host: config.registryUrl! });
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(avroSchema) },
      { subject: `${prefix}avro-value` },
    );
    const jsonTopic = `${prefix}json`;
    const avroTopic = `${prefix}avro`;
    await admin.createTopics({
      topics: [jsonTopic, avroTopic].map((topic) => ({ topic, numPartitions: 6 })),
    });
    const jsonSize = await produce(jsonTopic, (i) => Buffer.from(JSON.stringify(envelope(i))));
    // The Confluent wire format: magic byte 0, the schema id, the Avro body.
    const type = (await registry.getSchema(id)) as unknown as { toBuffer(v: unknown): Buffer };
    const header = Buffer.alloc(5);
    header.writeInt32BE(id, 1);
    const avroSize = await produce(avroTopic, (i) =>
      Buffer.concat([header, type.toBuffer(envelope(i, 830))]),
    );
    out(
      `checking throughput, ${RECORDS} records, 6 partitions (JSON ${jsonSize.toFixed(0)} B, Avro ${avroSize.toFixed(0)} B per record)`,
    );
    // Alternating rounds on a shared machine: the median of each side, and the median ratio.
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    for (const [format, topic, decode] of [
      ['JSON', jsonTopic, (b: Buffer) => JSON.parse(b.toString('utf8'))],
      ['Avro', avroTopic, (b: Buffer) => registry.decode(b)],
    ] as const) {
      const bare: number[] = [];
      const mine: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        bare.push(await bareConsumer(topic, decode));
        mine.push(await monitorConsumer(topic));
      }
      const ratios = mine.map((m, i) => m / bare[i]!);
      out(
        `  ${format}: monitor ${median(mine).toFixed(0)} rec/s, bare decode-only eachBatch ${median(bare).toFixed(0)} rec/s, ` +
          `ratio ${median(ratios).toFixed(2)} (goal >= 0.8; rounds ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
      );
    }
    out(`lag collection over ${LAG_PARTITIONS} partitions`);
    await lagBench(admin, prefix);
    out(
      `resident memory: this process ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB after all runs; the stack's monitor ${stackMonitorRss()} (goal < 200 MB)`,
    );
  } finally {
    await admin.disconnect();
    await cleanupPrefix(prefix, { deleteTimeoutMs: 120_000 });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${(e as Error).stack}\n`);
    process.exit(1);
  },
);
