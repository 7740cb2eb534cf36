/**
 * The lag, findings and lake routes against the real local stack: lag from the monitor's lag
 * library compared with Kafka's own consumer-group tool, findings the running monitor recorded for
 * a leak injected on a public topic (and the resume they block), and the lake's tables with row
 * counts from the lake reader while the Iceberg sinks commit.
 */
import type { FastifyInstance } from 'fastify';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { ConnectRestClient } from '@lakewall/connect-rest';
import {
  LOCAL_TOKEN_AUDIENCE,
  LOCAL_TOKEN_ISSUER,
  localConnectRestAuth,
  localStackCredentialsPath,
  localStackKafkaConfig,
  localStackStatePath,
  localTokenKeyPaths,
  readLocalStackCredentials,
  readLocalStackEndpoints,
} from '@lakewall/kafka-connection';
import { describeGroup } from '@lakewall/lag-collector/testing';
import { LakeReader, localLake, readLocalLakeDescriptor } from '@lakewall/lake-reader';
import {
  deriveMonitorDeployment,
  deriveSinks,
  loadPlatformModel,
  publishedColumns,
  restrictedColumns,
  sampleRow,
  tablesOf,
  topicName,
} from '@lakewall/platform-model';
import { findingId } from '@lakewall/record-checker';
import { applyModel } from '@lakewall/topic-admin';
import { parseConfig } from '../src/config';
import type { Role } from '../src/domain/caller';
import { mintToken } from '../src/domain/mint';
import { readLocalPrivateJwk } from '../src/local-keys';
import { createServer } from '../src/server';

const model = loadPlatformModel();
const state = localStackStatePath();
const endpoints = readLocalStackEndpoints(state);
const creds = readLocalStackCredentials(localStackCredentialsPath(state))!;
const connectAuth = localConnectRestAuth(creds);
const connect = new ConnectRestClient({ baseUrl: endpoints.connect!, auth: connectAuth });
const deployment = deriveMonitorDeployment(model, 'local');
const LAG_INTERVAL_MS = 1000;

let app: FastifyInstance;
let producer: Producer;
let kafkaAdmin: Admin;

const auth = async (role: Role, mnpi: boolean) => ({
  authorization: `Bearer ${await mintToken(readLocalPrivateJwk(state), {
    subject: `it-${role}${mnpi ? '-cleared' : ''}`,
    roles: [role],
    mnpi,
    ttlSeconds: 600,
    issuer: LOCAL_TOKEN_ISSUER,
    audience: LOCAL_TOKEN_AUDIENCE,
  })}`,
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A Debezium-shaped JSON change event for a model table, as the CDC source writes it. */
function changeEvent(table: string, after: Record<string, unknown>): Buffer {
  const now = Date.now();
  return Buffer.from(
    JSON.stringify({
      before: null,
      after,
      source: {
        version: '3.4.3.Final',
        connector: 'postgresql',
        name: 'lakewall',
        ts_ms: now - 50,
        snapshot: 'false',
        db: model.source.database,
        schema: model.source.schema,
        table,
      },
      op: 'c',
      ts_ms: now,
    }),
  );
}

beforeAll(async () => {
  await applyModel({ model, env: 'local', kafka: localStackKafkaConfig('bootstrapper') });
  const descriptor = readLocalLakeDescriptor(state);
  if (!descriptor)
    throw new Error('the local stack wrote no lake reader description: run `npm run stack -- up`');
  const lake = localLake(descriptor, { password: creds.postgres[descriptor.catalog.user]!, s3: creds.s3! });
  const config = parseConfig({
    env: 'local',
    host: '127.0.0.1',
    port: 49598,
    jwksFile: localTokenKeyPaths(state).jwks,
    issuer: LOCAL_TOKEN_ISSUER,
    audience: LOCAL_TOKEN_AUDIENCE,
    connectUrl: endpoints.connect,
    connectUsername: connectAuth.username,
    connectPassword: connectAuth.password,
    registryUrl: endpoints.registry,
    rateLimitPerMinute: 100_000,
    maxEventLoopDelayMs: 0,
    logLevel: 'silent',
  });
  app = await createServer(config, {
    model,
    kafka: localStackKafkaConfig('admin-api'),
    applierKafka: localStackKafkaConfig('bootstrapper'),
    lakeReader: new LakeReader(lake.runtime, lake.catalog),
    lagIntervalMs: LAG_INTERVAL_MS,
  });
  // The broker's super user injects records no model principal could write.
  const superUser = new Kafka({ ...localStackKafkaConfig('admin'), logLevel: logLevel.NOTHING });
  producer = superUser.producer();
  await producer.connect();
  kafkaAdmin = superUser.admin();
  await kafkaAdmin.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await kafkaAdmin?.disconnect();
  await app?.close();
});

describe('findings', () => {
  const table = tablesOf(model).find(
    (t) => t.classification === 'public' && restrictedColumns(t).length > 0,
  )!;
  const topic = topicName(model, table.name, 'public');
  const restricted = restrictedColumns(table).map((c) => c.name);
  const sink = deployment.publicSinkConnector!;

  it('lists the leak the monitor found, blocks resuming the sink it stopped until acknowledged', async () => {
    const injectedAt = new Date().toISOString();
    const row = { ...sampleRow(model, table.name, Date.now() % 1_000_000) };
    await producer.send({ topic, messages: [{ value: changeEvent(table.name, row) }] });
    const id = findingId({
      kind: 'restricted_column',
      topic,
      table: table.name,
      fields: [...restricted].sort(),
    });

    const cleared = await auth('admin', true);
    const finding = await until('the finding', async () => {
      const res = await app.inject({ url: '/api/v1/findings', headers: cleared });
      expect(res.statusCode).toBe(200);
      const f = res.json().items.find((x: { id: string }) => x.id === id);
      return f && f.state === 'open' && f.lastSeen >= injectedAt ? f : undefined;
    });
    expect(finding).toMatchObject({ zone: 'public', kind: 'restricted_column', topic, table: table.name });
    expect(
      (await app.inject({ url: '/api/v1/findings', headers: await auth('admin', false) })).statusCode,
    ).toBe(403);

    // The monitor stopped the public sink (containment is on locally).
    await until('the sink stopped by the monitor', async () =>
      (await connect.connectorStatus(sink))?.connector.state === 'STOPPED' ? true : undefined,
    );
    const resume = (body: Record<string, unknown>) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/connectors/${sink}/resume`,
        headers: cleared,
        payload: body,
      });
    const refused = await resume({ reason: 'integration test' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('unacknowledged_findings');
    const operator = await app.inject({
      method: 'POST',
      url: `/api/v1/connectors/${sink}/resume`,
      headers: await auth('operator', true),
      payload: { reason: 'integration test', acknowledge_findings: true },
    });
    expect(operator.statusCode).toBe(403);

    // As an operator would: move the stopped sink past the leaked record (it stays in Kafka for review).
    const offsets = [];
    for (const t of deriveSinks(model, 'local').find((s) => s.connectorName === sink)!.topics)
      for (const p of await kafkaAdmin.fetchTopicOffsets(t))
        offsets.push({ topic: t, partition: p.partition, offset: Number(p.high) });
    await connect.alterSinkOffsets(sink, offsets);

    const accepted = await resume({ reason: 'test leak, injected on purpose', acknowledge_findings: true });
    expect(accepted.statusCode).toBe(202);
    await connect.waitForConnectorRunning(sink, 60_000);
    const after = (await app.inject({ url: '/api/v1/findings', headers: cleared })).json();
    expect(after.items.find((x: { id: string }) => x.id === id)).toMatchObject({
      state: 'acknowledged',
      acknowledged: { by: 'it-admin-cleared', reason: 'test leak, injected on purpose' },
    });
  });

  it('acknowledges one finding with a reason, read back from the findings topic', async () => {
    const cleared = await auth('admin', true);
    const items = (await app.inject({ url: '/api/v1/findings', headers: cleared })).json().items;
    expect(items.length).toBeGreaterThan(0);
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/findings/${items[0].id}/acknowledge`,
      headers: cleared,
      payload: { reason: 'reviewed in the integration test' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      state: 'acknowledged',
      acknowledged: { reason: 'reviewed in the integration test' },
    });
    const missing = await app.inject({
      method: 'POST',
      url: '/api/v1/findings/no-such-finding/acknowledge',
      headers: cleared,
      payload: { reason: 'nothing' },
    });
    expect(missing.statusCode).toBe(404);
  });
});

describe('lag', () => {
  const group = 'lakewall-monitor';

  it("of the monitor's group equals kafka-consumer-groups within one collection", async () => {
    // A clean public change event, so the group has something to commit.
    const table = tablesOf(model).find((t) => t.classification === 'public')!;
    const clean = Object.fromEntries(
      publishedColumns(table).map((c) => [c.name, sampleRow(model, table.name, 7)[c.name]]),
    );
    await producer.send({
      topic: topicName(model, table.name, 'public'),
      messages: [{ value: changeEvent(table.name, clean) }],
    });
    await until('committed offsets', async () =>
      describeGroup(group).some((r) => r.current !== undefined) ? true : undefined,
    );

    const started = Date.now();
    const before = describeGroup(group).filter((r) => r.current !== undefined);
    const cleared = await auth('viewer', true);
    const lag = await until('a collection after the tool read', async () => {
      const body = (await app.inject({ url: `/api/v1/groups/${group}/lag`, headers: cleared })).json();
      return Date.parse(body.collected_at) > started ? body : undefined;
    });
    const afterRows = describeGroup(group);

    // The partitions with commits can only grow between the two reads (the heartbeat topic is consumed too).
    const key = (r: { topic: string; partition: number }) => `${r.topic}/${r.partition}`;
    const apiKeys = lag.partitions.map(key);
    expect(apiKeys).toEqual(expect.arrayContaining(before.map(key)));
    expect(afterRows.filter((r) => r.current !== undefined).map(key)).toEqual(
      expect.arrayContaining(apiKeys),
    );
    for (const row of before) {
      const p = lag.partitions.find(
        (x: { topic: string; partition: number }) => x.topic === row.topic && x.partition === row.partition,
      );
      const later = afterRows.find((r) => r.topic === row.topic && r.partition === row.partition)!;
      // Kafka's figures before and after the collection bracket the API's.
      expect(Number(p.committedOffset)).toBeGreaterThanOrEqual(row.current!);
      expect(Number(p.committedOffset)).toBeLessThanOrEqual(later.current!);
      expect(Number(p.logEndOffset)).toBeGreaterThanOrEqual(row.logEnd);
      expect(Number(p.logEndOffset)).toBeLessThanOrEqual(later.logEnd);
      expect(p.lag).toBe(Math.max(0, Number(p.logEndOffset) - Number(p.committedOffset)));
    }
  });

  it('hides the MNPI groups from callers without clearance', async () => {
    const hidden = await app.inject({
      url: `/api/v1/groups/${group}/lag`,
      headers: await auth('admin', false),
    });
    expect(hidden.statusCode).toBe(404);
    const summary = async (mnpi: boolean) =>
      (await app.inject({ url: '/api/v1/lag/summary', headers: await auth('viewer', mnpi) }))
        .json()
        .items.map((i: { group_id: string }) => i.group_id)
        .sort();
    expect(await summary(false)).toEqual(['connect-lakewall-sink-public']);
    expect(await summary(true)).toEqual(deployment.groups.map((g) => g.group).sort());
  });
});

describe('lake', () => {
  it("lists each zone's tables with row counts that grow as the sinks commit", async () => {
    const table = tablesOf(model).find((t) => t.classification === 'mnpi')!;
    const cleared = await auth('viewer', true);
    const rowsOf = async () =>
      (
        (await app.inject({ url: '/api/v1/lake/tables', headers: cleared })).json().items as {
          table: string;
          rowCount: number;
          snapshots: number;
        }[]
      ).find((t) => t.table === table.name);
    const before = (await rowsOf())?.rowCount ?? 0;

    const server = new URL(endpoints.postgres!);
    const pg = new Client({
      host: server.hostname,
      port: Number(server.port),
      database: model.source.database,
      user: 'postgres',
      password: creds.postgres['postgres'],
    });
    await pg.connect();
    try {
      const row = sampleRow(model, table.name, Date.now() % 1_000_000_000);
      const cols = Object.keys(row);
      await pg.query(
        `INSERT INTO "${model.source.schema}"."${table.name}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
        Object.values(row),
      );
    } finally {
      await pg.end();
    }
    // The listing is cached for a few seconds and the sinks commit every 10 s locally.
    const landed = await until(
      'the row in the lake',
      async () => {
        const t = await rowsOf();
        return t && t.rowCount > before ? t : undefined;
      },
      120_000,
    );
    expect(landed.snapshots).toBeGreaterThan(0);

    const publicOnly = (await app.inject({ url: '/api/v1/lake/tables', headers: await auth('admin', false) }))
      .json()
      .items.map((t: { table: string; zone: string }) => [t.table, t.zone]);
    expect(publicOnly.length).toBeGreaterThan(0);
    expect(publicOnly.every(([, zone]: [string, string]) => zone === 'public')).toBe(true);
    expect(publicOnly.map(([name]: [string]) => name)).not.toContain(table.name);
  });
});
