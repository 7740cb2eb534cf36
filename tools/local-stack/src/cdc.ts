/** Helpers shared by the main job and the CDC smoke test. */
import { Kafka, logLevel, type Consumer, type KafkaConfig } from 'kafkajs';
import { Client } from 'pg';
import {
  deriveDebeziumConnectorConfig,
  principalsIn,
  tablesOf,
  topicName,
  type PlatformModel,
  type ZoneName,
} from '@lakewall/platform-model';
import {
  decodeBytes,
  isPlainObject,
  RegistryAvroSource,
  type AvroSchemaSource,
} from '@lakewall/record-checker';
import {
  debeziumConnection,
  kafkaClientConfig,
  pgConnectionConfig,
  registryUrl,
  upsertConnector,
  waitForConnectorRunning,
} from './index';

export const CDC_DEMO_TABLE = 'trades';

/** Registers (or updates) the model-derived Debezium connector and waits until it runs. */
export async function registerDebezium(model: PlatformModel, timeoutMs = 120_000): Promise<string> {
  const def = deriveDebeziumConnectorConfig(model, 'local', debeziumConnection());
  await upsertConnector(def.name, { ...def.config });
  await waitForConnectorRunning(def.name, timeoutMs);
  return def.name;
}

/**
 * Who reads CDC topics for the demo and the smoke test: the stack's super user with a group of its
 * own. The model's only MNPI consumer is the MNPI Iceberg sink, whose group belongs to the running
 * connector (a second member with another assignor is refused by the broker).
 */
export const DEMO_READER = { principal: 'admin', group: 'lakewall-demo-reader' } as const;

/** A service principal cleared to consume `zone`, with the group the model grants it. */
export function consumerFor(model: PlatformModel, zone: ZoneName): { principal: string; group: string } {
  const p = principalsIn(model, 'local').find(
    (x) => x.kind === 'service' && x.kafka?.consume?.zones.includes(zone),
  );
  if (!p?.kafka?.consume) throw new Error(`no principal in the model may consume the ${zone} zone`);
  return { principal: p.name, group: p.kafka.consume.group };
}

export function tableZone(model: PlatformModel, table: string): ZoneName {
  const t = tablesOf(model).find((x) => x.name === table);
  if (!t) throw new Error(`table ${table} is not in the platform model`);
  return t.classification;
}

export function cdcTopic(model: PlatformModel, table: string): string {
  return topicName(model, table, tableZone(model, table));
}

/** Realistic demo values for the trades table; fails if the model's columns change under it. */
export function sampleTrade(model: PlatformModel, tradeId: number): Record<string, unknown> {
  const venues = ['XLON', 'XNAS', 'XNYS', 'XETR'];
  const instruments = ['US0378331005', 'GB0002634946', 'DE0007164600', 'US5949181045'];
  const values: Record<string, unknown> = {
    trade_id: tradeId,
    order_id: tradeId * 10 + 1,
    account_id: `ACC-${1000 + (tradeId % 37)}`,
    instrument_id: instruments[tradeId % instruments.length],
    side: tradeId % 2 === 0 ? 'BUY' : 'SELL',
    quantity: (100 + (tradeId % 900)).toFixed(8),
    price: (50 + (tradeId % 1000) / 7).toFixed(8),
    currency: 'USD',
    venue: venues[tradeId % venues.length],
    executed_at: new Date().toISOString(),
  };
  const table = tablesOf(model).find((t) => t.name === CDC_DEMO_TABLE);
  if (!table) throw new Error(`table ${CDC_DEMO_TABLE} is not in the platform model`);
  const missing = table.columns.filter((c) => !c.nullable && !(c.name in values)).map((c) => c.name);
  if (missing.length)
    throw new Error(`sampleTrade: no demo value for ${CDC_DEMO_TABLE}.${missing.join(', ')}`);
  return Object.fromEntries(
    table.columns.filter((c) => c.name in values).map((c) => [c.name, values[c.name]]),
  );
}

export async function insertRows(
  model: PlatformModel,
  table: string,
  rows: Record<string, unknown>[],
): Promise<void> {
  const client = new Client(pgConnectionConfig('admin'));
  await client.connect();
  try {
    for (const row of rows) {
      const cols = Object.keys(row);
      const sql = `INSERT INTO "${model.source.schema}"."${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`;
      await client.query(sql, Object.values(row));
    }
  } finally {
    await client.end();
  }
}

/** A unique-enough id for demo rows: milliseconds since 2020, so reruns never collide. */
export function freshId(): number {
  return Date.now() - Date.UTC(2020, 0, 1) + Math.floor(Math.random() * 1000);
}

export interface ChangeEvent {
  topic: string;
  key: Record<string, unknown> | null;
  op: string;
  after: Record<string, unknown> | null;
  before: Record<string, unknown> | null;
}

/** Decodes CDC records the way the monitor does: Avro through the stack's registry, or JSON. */
export function cdcDecoder(): AvroSchemaSource {
  return new RegistryAvroSource(registryUrl());
}

async function decodeOrThrow(
  topic: string,
  part: 'key' | 'value',
  bytes: Buffer,
  avro: AvroSchemaSource,
): Promise<Record<string, unknown>> {
  const d = await decodeBytes(bytes, avro);
  if (!d.ok) throw new Error(`${topic}: a record's ${part} does not decode: ${d.reason}`);
  if (!isPlainObject(d.value)) throw new Error(`${topic}: a record's ${part} is not an object`);
  return d.value;
}

/**
 * One Debezium change event, decoded by the shared decoder (Avro in the Confluent wire format or
 * JSON, whatever the record is); undefined for a tombstone.
 */
export async function parseChangeEvent(
  topic: string,
  key: Buffer | null,
  value: Buffer | null,
  avro: AvroSchemaSource = cdcDecoder(),
): Promise<ChangeEvent | undefined> {
  if (!value) return undefined; // tombstone
  const env = (await decodeOrThrow(topic, 'value', value, avro)) as {
    op?: string;
    after?: Record<string, unknown> | null;
    before?: Record<string, unknown> | null;
  };
  return {
    topic,
    key: key ? await decodeOrThrow(topic, 'key', key, avro) : null,
    op: env.op ?? '?',
    after: env.after ?? null,
    before: env.before ?? null,
  };
}

/** The current end offset of every partition of `topic`: read from here to see only what comes next. */
export async function topicEndOffsets(topic: string, principal: string): Promise<Record<number, string>> {
  const admin = new Kafka({ ...kafkaClientConfig(principal), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return Object.fromEntries(offsets.map((o) => [o.partition, o.offset]));
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads `topic` as `principal` (its model-granted group; no offsets are committed) from
 * `startAt` (per-partition offsets, e.g. from topicEndOffsets before an insert; the beginning when
 * omitted) until `done` returns true for the events seen so far, or the timeout passes.
 */
export async function readChangeEvents(
  topic: string,
  who: { principal: string; group: string },
  done: (events: ChangeEvent[]) => boolean,
  timeoutMs: number,
  startAt?: Record<number, string>,
  config: KafkaConfig = kafkaClientConfig(who.principal),
): Promise<ChangeEvent[]> {
  const consumer: Consumer = new Kafka({ ...config, logLevel: logLevel.WARN }).consumer({
    groupId: who.group,
    sessionTimeout: 30_000,
    heartbeatInterval: 3000,
  });
  const events: ChangeEvent[] = [];
  const avro = cdcDecoder();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`timed out after ${timeoutMs / 1000}s reading ${topic} (${events.length} events seen)`),
          ),
        timeoutMs,
      );
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ message }) => {
            try {
              const e = await parseChangeEvent(topic, message.key, message.value, avro);
              if (e) events.push(e);
            } catch (err) {
              // An undecodable record fails the read, instead of kafkajs retrying it forever.
              clearTimeout(timer);
              reject(err as Error);
              return;
            }
            if (done(events)) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .then(() => {
          for (const [partition, offset] of Object.entries(startAt ?? {}))
            consumer.seek({ topic, partition: Number(partition), offset });
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return events;
}

export { sampleRow } from '@lakewall/platform-model';
