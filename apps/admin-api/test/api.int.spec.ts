/**
 * The admin API against the real local stack: Kafka (SCRAM, ACLs, as the model's admin-api
 * principal), Kafka Connect with the Debezium connector, the schema registry and the topic engine.
 * The stack is brought up by the integration preset's global setup.
 */
import type { FastifyInstance } from 'fastify';
import { Kafka } from 'kafkajs';
import { applyModel } from '@lakewall/topic-admin';
import {
  deriveAuditTopic,
  debeziumConnectorName,
  deriveMnpiNames,
  loadPlatformModel,
  topicsInZone,
} from '@lakewall/platform-model';
import {
  LOCAL_TOKEN_AUDIENCE,
  LOCAL_TOKEN_ISSUER,
  localStackCredentialsPath,
  localStackKafkaConfig,
  localStackStatePath,
  localTokenKeyPaths,
  localConnectRestAuth,
  readLocalStackCredentials,
  readLocalStackEndpoints,
} from '@lakewall/kafka-connection';
import { ConnectRestClient } from '@lakewall/connect-rest';
import { parseConfig } from '../src/config';
import { mintToken } from '../src/domain/mint';
import type { Role } from '../src/domain/caller';
import { readLocalPrivateJwk } from '../src/local-keys';
import { createServer } from '../src/server';

const model = loadPlatformModel();
const state = localStackStatePath();
let app: FastifyInstance;
let connector: string;

const endpoints = readLocalStackEndpoints(state);
const connectAuth = localConnectRestAuth(readLocalStackCredentials(localStackCredentialsPath(state))!);
const connect = new ConnectRestClient({ baseUrl: endpoints.connect!, auth: connectAuth });
const kafkaClientConfig = (principal: string) => localStackKafkaConfig(principal);
const token = (role: Role, mnpi: boolean) =>
  mintToken(readLocalPrivateJwk(state), {
    subject: `it-${role}`,
    roles: [role],
    mnpi,
    ttlSeconds: 600,
    issuer: LOCAL_TOKEN_ISSUER,
    audience: LOCAL_TOKEN_AUDIENCE,
  });

/** The model's Debezium connector, which the integration tests' global setup registers. */
async function registerDebezium(): Promise<string> {
  const name = debeziumConnectorName(model);
  await connect.waitForConnectorRunning(name, 120_000);
  return name;
}
const auth = async (role: Role, mnpi: boolean) => ({ authorization: `Bearer ${await token(role, mnpi)}` });

beforeAll(async () => {
  // The model's topics and ACLs (the audit topic and the API's grants among them).
  await applyModel({ model, env: 'local', kafka: kafkaClientConfig('bootstrapper') });
  connector = await registerDebezium();
  const config = parseConfig({
    env: 'local',
    host: '127.0.0.1',
    port: 49599,
    jwksFile: localTokenKeyPaths(state).jwks,
    issuer: LOCAL_TOKEN_ISSUER,
    audience: LOCAL_TOKEN_AUDIENCE,
    connectUrl: endpoints.connect,
    connectUsername: connectAuth.username,
    connectPassword: connectAuth.password,
    registryUrl: endpoints.registry,
    rateLimitPerMinute: 10_000,
    // A functional test on a shared machine. Under Jest, an interval in which the event-loop
    // histogram took no sample reads as infinite delay and sheds every request; load shedding is
    // tested on its own (conventions.spec).
    maxEventLoopDelayMs: 0,
    logLevel: 'silent',
  });
  app = await createServer(config, {
    model,
    kafka: kafkaClientConfig('admin-api'),
    applierKafka: kafkaClientConfig('bootstrapper'),
  });
});

afterAll(async () => {
  await connect.resumeConnector(connector).catch(() => undefined);
  await app?.close();
});

it('lists topics from the broker, filtered by the wall', async () => {
  const cleared = (await app.inject({ url: '/api/v1/topics', headers: await auth('viewer', true) })).json();
  const names = cleared.items.map((t: { name: string }) => t.name);
  expect(names).toEqual(
    expect.arrayContaining([
      'cdc.trades.mnpi',
      'cdc.market_data.public',
      deriveAuditTopic(model, 'local').name,
    ]),
  );
  const res = await app.inject({ url: '/api/v1/topics', headers: await auth('admin', false) });
  expect(
    res
      .json()
      .items.map((t: { name: string }) => t.name)
      .sort(),
  ).toEqual(
    topicsInZone(model, 'local', 'public')
      .map((t) => t.name)
      .sort(),
  );
  const hidden = await app.inject({
    url: '/api/v1/topics/cdc.trades.mnpi/partitions',
    headers: await auth('admin', false),
  });
  expect(hidden.statusCode).toBe(404);
  const parts = await app.inject({
    url: '/api/v1/topics/cdc.trades.mnpi/partitions',
    headers: await auth('viewer', true),
  });
  expect(parts.json().items).toHaveLength(model.environments.local.kafka.topicClasses.cdc!.partitions!);
});

it('lists and describes consumer groups of the real cluster (Connect keeps its group)', async () => {
  const res = await app.inject({ url: '/api/v1/groups', headers: await auth('viewer', true) });
  expect(res.statusCode).toBe(200);
  expect(res.json().items.map((g: { group_id: string }) => g.group_id)).toContain(
    model.kafka.connect.groupId,
  );
  const g = await app.inject({
    url: `/api/v1/groups/${model.kafka.connect.groupId}`,
    headers: await auth('viewer', true),
  });
  expect(g.json()).toMatchObject({
    group_id: model.kafka.connect.groupId,
    state: 'Stable',
    protocol_type: 'connect',
  });
  const uncleared = await app.inject({ url: '/api/v1/groups', headers: await auth('viewer', false) });
  expect(uncleared.json().items.map((x: { group_id: string }) => x.group_id)).not.toContain(
    model.kafka.connect.groupId,
  );
});

it('pauses and resumes the Debezium connector, each change written to the audit topic', async () => {
  const operator = await auth('operator', true);
  const pause = await app.inject({
    method: 'POST',
    url: `/api/v1/connectors/${connector}/pause`,
    headers: { ...operator, 'idempotency-key': `pause-${Date.now()}` },
    payload: { reason: 'integration test' },
  });
  expect(pause.statusCode).toBe(202);
  await connect.waitForState(connector, 'PAUSED', 60_000);
  const shown = (await app.inject({ url: `/api/v1/connectors/${connector}`, headers: operator })).json();
  expect(shown.status.connector.state).toBe('PAUSED');
  expect(JSON.stringify(shown.config)).not.toMatch(/password"\s*:\s*"(?!\*\*\*|\$\{)/);
  const resume = await app.inject({
    method: 'POST',
    url: `/api/v1/connectors/${connector}/resume`,
    headers: operator,
    payload: { reason: 'integration test' },
  });
  expect(resume.statusCode).toBe(202);
  await connect.waitForConnectorRunning(connector, 60_000);

  // A caller without clearance cannot even find it.
  const hidden = await app.inject({
    method: 'POST',
    url: `/api/v1/connectors/${connector}/pause`,
    headers: await auth('admin', false),
    payload: { reason: 'x' },
  });
  expect(hidden.statusCode).toBe(404);

  const kafka = new Kafka(kafkaClientConfig('admin'));
  const consumer = kafka.consumer({ groupId: `admin-api-it-${Date.now()}` });
  const seen: { action: string; phase: string; resource: { name?: string } }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: deriveAuditTopic(model, 'local').name, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => void seen.push(JSON.parse(message.value!.toString())),
  });
  const until = Date.now() + 30_000;
  while (Date.now() < until && !seen.some((e) => e.action === 'connector.resume' && e.phase === 'result'))
    await new Promise((r) => setTimeout(r, 500));
  await consumer.disconnect();
  const mine = seen.filter((e) => e.resource.name === connector);
  expect(mine.map((e) => `${e.action}:${e.phase}`)).toEqual(
    expect.arrayContaining(['connector.pause:attempt', 'connector.pause:result', 'connector.resume:result']),
  );
  expect(seen.some((e) => e.phase === 'denied')).toBe(true);
});

it('lets cleared admins read the audit log back through the API, with filters', async () => {
  const res = await app.inject({
    url: '/api/v1/audit?action=connector.pause&limit=50',
    headers: await auth('admin', true),
  });
  expect(res.statusCode).toBe(200);
  const items = res.json().items as {
    action: string;
    phase: string;
    resource: { name?: string };
    actor: string;
  }[];
  expect(items.length).toBeGreaterThan(0);
  expect(items.every((e) => e.action === 'connector.pause')).toBe(true);
  expect(items).toContainEqual(
    expect.objectContaining({
      phase: 'result',
      actor: 'it-operator',
      resource: { kind: 'connector', name: connector },
    }),
  );
  const uncleared = await app.inject({ url: '/api/v1/audit', headers: await auth('admin', false) });
  expect(uncleared.statusCode).toBe(403);
});

it('restarts a connector with includeTasks and onlyFailed, answering 202 with its status', async () => {
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/connectors/${connector}/restart?includeTasks=true&onlyFailed=true`,
    headers: await auth('operator', true),
    payload: { reason: 'integration test' },
  });
  expect(res.statusCode).toBe(202);
  expect(res.json().status.connector.state).toMatch(/RUNNING|RESTARTING/);
});

it('plans the model through the topic engine (cleared operators) and dry-runs an apply', async () => {
  const plan = await app.inject({ url: '/api/v1/topology/plan', headers: await auth('operator', true) });
  expect(plan.statusCode).toBe(200);
  expect(plan.json().summary.refusals).toBe(0);
  const refused = await app.inject({
    method: 'POST',
    url: '/api/v1/topology/apply',
    headers: await auth('operator', true),
    payload: { reason: 'x' },
  });
  expect(refused.statusCode).toBe(403);
  const dry = await app.inject({
    method: 'POST',
    url: '/api/v1/topology/apply',
    headers: await auth('admin', true),
    payload: { reason: 'integration test' },
  });
  expect(dry.statusCode).toBe(200);
  expect(dry.json().dry_run).toBe(true);
});

it('walks every read route of the OpenAPI document on the real stack: no MNPI name for uncleared callers', async () => {
  const n = deriveMnpiNames(model, 'local');
  const mnpi = [...n.topics, ...n.tables, ...n.columns, ...n.principals, ...n.groups, ...n.connectors];
  const fill: Record<string, string[]> = {
    topic: ['cdc.market_data.public', ...n.topics],
    group: [model.kafka.connect.groupId, ...n.groups],
    name: [connector],
    subject: ['cdc.market_data.public-value', ...n.topics.map((t) => `${t}-value`)],
    version: ['1', 'latest'],
    id: ['any'],
  };
  const doc = (await app.inject({ url: '/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  const leaks: string[] = [];
  let calls = 0;
  for (const role of ['viewer', 'operator', 'admin'] as const) {
    const headers = await auth(role, false);
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!('get' in ops)) continue;
      let urls = [path];
      for (const p of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))
        urls = urls.flatMap((u) => (fill[p] ?? []).map((v) => u.replace(`{${p}}`, encodeURIComponent(v))));
      for (const url of urls) {
        const res = await app.inject({ url, headers });
        calls++;
        // Debezium's Avro schemas (public subjects included) name their types in Debezium's own Java
        // package, `io.debezium.*`: the vendor's namespace, not the model principal of the same name.
        const text = `${JSON.stringify(res.headers)}\n${res.body}`.replace(
          /\bio\.debezium\./g,
          'io.<vendor>.',
        );
        for (const name of mnpi)
          if (new RegExp(`(^|[^A-Za-z0-9])${name.replace(/[.]/g, '\\.')}($|[^A-Za-z0-9])`).test(text))
            leaks.push(`${url} -> ${res.statusCode}: ${name}`);
      }
    }
  }
  expect(calls).toBeGreaterThan(50);
  expect(leaks).toEqual([]);
});

it('answers no MNPI name to an uncleared caller on the real stack', async () => {
  const n = deriveMnpiNames(model, 'local');
  const names = [...n.topics, ...n.groups, ...n.connectors];
  for (const url of [
    '/api/v1/topics',
    '/api/v1/groups',
    '/api/v1/connectors',
    '/api/v1/subjects',
    '/api/v1/me',
  ]) {
    const res = await app.inject({ url, headers: await auth('admin', false) });
    expect(res.statusCode).toBe(200);
    for (const name of names) expect(res.body).not.toContain(name);
  }
});
