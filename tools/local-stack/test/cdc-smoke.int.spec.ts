import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { debeziumHeartbeatTopic, loadPlatformModel, principalsIn, topicName } from '@lakewall/platform-model';
import { connectClient, kafkaClientConfig, pgConnectionConfig } from '../src/index';
import { applyTopicsAndAcls } from '../src/topic-bootstrap';
import {
  CDC_DEMO_TABLE,
  cdcTopic,
  consumerFor,
  DEMO_READER,
  freshId,
  insertRows,
  readChangeEvents,
  registerDebezium,
  sampleTrade,
  tableZone,
  topicEndOffsets,
} from '../src/cdc';

const model = loadPlatformModel();
const topic = cdcTopic(model, CDC_DEMO_TABLE);
const quiet = {
  logLevel: logLevel.NOTHING,
  retry: { retries: 0 },
  connectionTimeout: 5000,
  requestTimeout: 10000,
};

/** The error type kafkajs reports, walking through retry wrappers. */
function errorType(e: unknown): string {
  let cur = e as { type?: string; name?: string; originalError?: unknown; cause?: unknown } | undefined;
  const seen: string[] = [];
  while (cur) {
    if (cur.type) return cur.type;
    seen.push(cur.name ?? '?');
    cur = (cur.originalError ?? cur.cause) as typeof cur;
  }
  return seen.join('>');
}

describe('CDC path on the local stack', () => {
  let connector = '';
  beforeAll(async () => {
    await applyTopicsAndAcls(() => undefined);
    connector = await registerDebezium(model);
  });

  it('heartbeats within 60 s to the Connect-created heartbeat topic and keeps the connector running', async () => {
    // Read as the local super user: no model principal is granted the heartbeat topic but Debezium.
    const heartbeat = debeziumHeartbeatTopic(model);
    const admin = new Kafka({ ...kafkaClientConfig('admin'), ...quiet }).admin();
    const started = Date.now();
    let records = 0;
    await admin.connect();
    try {
      while (Date.now() - started < 60_000) {
        const topics = await admin.listTopics();
        if (topics.includes(heartbeat)) {
          const offsets = await admin.fetchTopicOffsets(heartbeat);
          records = offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
          if (records > 0) break;
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    } finally {
      await admin.disconnect();
    }
    expect(records).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(60_000);
    const events = await readChangeEvents(
      heartbeat,
      { principal: 'admin', group: 'lakewall-heartbeat-smoke' },
      (evs) => evs.length > 0,
      30_000,
      undefined,
      kafkaClientConfig('admin'),
    );
    expect(events[0]!.key).toMatchObject({ serverName: expect.any(String) });
    const status = await connectClient().connectorStatus(connector);
    expect(status?.connector.state).toBe('RUNNING');
    expect(status?.tasks.map((t) => t.state)).toEqual(['RUNNING']);
  });

  it("upserts the heartbeat table with each heartbeat, and the change reaches that table's public topic", async () => {
    const table = model.source.heartbeat.table!;
    const heartbeatTopic = topicName(model, table, 'public');
    const pg = new Client(pgConnectionConfig('admin'));
    await pg.connect();
    const beatAt = async (): Promise<number> => {
      const r = await pg.query(`SELECT "beat_at" FROM "${model.source.schema}"."${table}" WHERE "id" = 1`);
      return r.rows[0] ? new Date(r.rows[0].beat_at as string).getTime() : 0;
    };
    try {
      const first = await beatAt();
      const startAt = await topicEndOffsets(heartbeatTopic, 'admin');
      const until = Date.now() + 3 * model.source.heartbeat.intervalMs + 10_000;
      let later = first;
      while (later <= first && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 1000));
        later = await beatAt();
      }
      // Debezium itself wrote the row: this database produced WAL without any application write.
      expect(later).toBeGreaterThan(first);
      const events = await readChangeEvents(
        heartbeatTopic,
        { principal: 'admin', group: 'lakewall-heartbeat-table-smoke' },
        (evs) => evs.length > 0,
        30_000,
        startAt,
        kafkaClientConfig('admin'),
      );
      expect(events[0]!.after).toMatchObject({ id: 1 });
    } finally {
      await pg.end();
    }
  });

  it('delivers a trades insert to its zone topic', async () => {
    // The broker stores this topic's batches as zstd: reading them below exercises the pure-JS codec.
    const admin = new Kafka({ ...kafkaClientConfig('admin'), ...quiet }).admin();
    await admin.connect();
    try {
      const res = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['compression.type'] }],
      });
      expect(res.resources[0]!.configEntries[0]!.configValue).toBe('zstd');
    } finally {
      await admin.disconnect();
    }
    const who = DEMO_READER;
    const startAt = await topicEndOffsets(topic, who.principal);
    const id = freshId();
    await insertRows(model, CDC_DEMO_TABLE, [sampleTrade(model, id)]);
    const started = Date.now();
    const events = await readChangeEvents(
      topic,
      who,
      (evs) => evs.some((e) => String(e.after?.trade_id) === String(id)),
      60_000,
      startAt,
      kafkaClientConfig(who.principal),
    );
    const ev = events.find((e) => String(e.after?.trade_id) === String(id))!;
    expect(ev.op).toBe('c');
    expect(ev.key).toEqual({ trade_id: id });
    expect(ev.after).toMatchObject({ trade_id: id, currency: 'USD' });
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('denies the outsider principal on the same topic', async () => {
    const outsider = principalsIn(model, 'local').find((p) => p.name === 'outsider');
    expect(outsider).toBeDefined();
    const kafka = new Kafka({ ...kafkaClientConfig('outsider'), ...quiet });

    const admin = kafka.admin();
    await admin.connect();
    try {
      const err = await admin.fetchTopicMetadata({ topics: [topic] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(errorType(err)).toBe('TOPIC_AUTHORIZATION_FAILED');
    } finally {
      await admin.disconnect();
    }

    const producer = kafka.producer({ retry: { retries: 0 } });
    await producer.connect();
    try {
      const err = await producer.send({ topic, messages: [{ value: 'x' }] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(errorType(err)).toBe('TOPIC_AUTHORIZATION_FAILED');
    } finally {
      await producer.disconnect();
    }
  });

  it('denies a principal cleared only for public data on the MNPI topic', async () => {
    const publicOnly = consumerFor(model, 'public');
    const admin = new Kafka({ ...kafkaClientConfig(publicOnly.principal), ...quiet }).admin();
    await admin.connect();
    try {
      const err = await admin.fetchTopicMetadata({ topics: [topic] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(errorType(err)).toBe('TOPIC_AUTHORIZATION_FAILED');
    } finally {
      await admin.disconnect();
    }
  });

  it('rejects a wrong password', async () => {
    const who = consumerFor(model, tableZone(model, CDC_DEMO_TABLE));
    const good = kafkaClientConfig(who.principal);
    const admin = new Kafka({
      ...good,
      ...quiet,
      sasl: { mechanism: 'scram-sha-512', username: who.principal, password: 'not-the-password' },
    }).admin();
    const err = await admin.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    await admin.disconnect().catch(() => undefined);
    expect(err).toBeDefined();
    expect((err as Error).name).toBe('KafkaJSSASLAuthenticationError');
  });
});
