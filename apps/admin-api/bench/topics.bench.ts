/**
 * `npx nx run admin-api:bench`: requests per second and p50/p99 latency, with 1,000 extra topics on
 * the local broker, of GET /api/v1/topics (page_size 1000) and of GET /api/v1/groups/<g>/lag for a
 * group with committed offsets on all 1,000 topics (lag from the lag library's background
 * collector), through the whole API (token verification, wall, pagination, cached metadata),
 * each against a bare Fastify route that returns the same payload, in the same run. Bounded: a
 * fixed duration per target, on 127.0.0.1 only.
 *
 * The API reads as the broker's super user here, because the model's admin-api principal may only
 * describe the model's topics and groups (the broker would hide the bench's from it).
 */
import { generateKeyPairSync } from 'node:crypto';
import * as http from 'node:http';
import Fastify from 'fastify';
import { createLocalJWKSet, type JWK } from 'jose';
import { Kafka, logLevel } from 'kafkajs';
import { LagCollector } from '@lakewall/lag-collector';
import { loadPlatformModel } from '@lakewall/platform-model';
import { localStackKafkaConfig } from '@lakewall/kafka-connection';
import { buildApp } from '../src/app';
import { mintToken } from '../src/domain/mint';
import { tokenVerifier } from '../src/domain/tokens';
import { Wall } from '../src/domain/wall';
import { KafkajsReader } from '../src/sources/kafka-reader';
import { CollectorLagSource } from '../src/sources/lag-source';
import type { Sources } from '../src/sources/types';

const TOPICS = 1000;
const PREFIX = 'bench.admin-api.';
const GROUP = 'bench-admin-api-lag';
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5000);
const CONCURRENCY = 8;

interface Result {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
}

async function load(port: number, path: string, headers: Record<string, string>): Promise<Result> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const t0 = process.hrtime.bigint();
      const req = http.get({ host: '127.0.0.1', port, path, headers, agent }, (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(Number(process.hrtime.bigint() - t0) / 1e6)
            : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      });
      req.on('error', reject);
    });
  const warmUntil = Date.now() + 1000;
  while (Date.now() < warmUntil) await one();
  const latencies: number[] = [];
  const start = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() - start < DURATION_MS) latencies.push(await one());
    }),
  );
  const seconds = (Date.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return { rps: latencies.length / seconds, p50: pct(50), p99: pct(99), requests: latencies.length };
}

async function main(): Promise<void> {
  const model = loadPlatformModel();
  const kafka = new Kafka({
    ...localStackKafkaConfig('admin'),
    clientId: 'admin-api-bench',
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const wanted = Array.from({ length: TOPICS }, (_, i) => `${PREFIX}${String(i).padStart(4, '0')}`);
  const missing = wanted.filter((t) => !existing.has(t));
  if (missing.length)
    await admin.createTopics({
      topics: missing.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })),
    });

  // The bench group: a committed offset on every bench topic, one record behind the head. A consumer
  // commits them all at once (the admin client's setOffsets joins the group once per topic).
  if ((await admin.fetchOffsets({ groupId: GROUP })).length < TOPICS) {
    // Freshly created topics may still be electing leaders: the producer waits them out.
    const producer = kafka.producer({ retry: { retries: 20, maxRetryTime: 60_000 } });
    await producer.connect();
    await producer.sendBatch({
      topicMessages: wanted.map((topic) => ({ topic, messages: [{ value: 'a' }] })),
    });
    const consumer = kafka.consumer({ groupId: GROUP });
    await consumer.connect();
    await consumer.subscribe({
      topics: [new RegExp(`^${PREFIX.replace(/\./g, '\\.')}`)],
      fromBeginning: true,
    });
    await consumer.run({ autoCommitInterval: 500, eachMessage: async () => undefined });
    const committedAll = async () =>
      (await admin.fetchOffsets({ groupId: GROUP })).filter((o) => Number(o.partitions[0]?.offset) >= 1)
        .length >= TOPICS;
    const until = Date.now() + 120_000;
    while (!(await committedAll())) {
      if (Date.now() > until)
        throw new Error(`group ${GROUP} did not commit on all ${TOPICS} topics in 120 s`);
      await new Promise((r) => setTimeout(r, 500));
    }
    await consumer.disconnect();
    await producer.sendBatch({
      topicMessages: wanted.map((topic) => ({ topic, messages: [{ value: 'b' }] })),
    });
    await producer.disconnect();
  }
  const lag = new CollectorLagSource(new LagCollector({ admin, knownGroups: [GROUP], intervalMs: 5000 }));
  lag.start();
  await lag.allGroupLag();

  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = 'bench';
  const verify = tokenVerifier(
    createLocalJWKSet({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256' } as JWK] }),
    { issuer: 'bench', audience: 'bench' },
  );
  const token = await mintToken({ ...privateKey.export({ format: 'jwk' }), kid, alg: 'ES256' } as JWK, {
    subject: 'bench',
    roles: ['viewer'],
    mnpi: true,
    ttlSeconds: 3600,
    issuer: 'bench',
    audience: 'bench',
  });
  const unused = () => Promise.reject(new Error('not used by the bench'));
  const sources = {
    kafka: new KafkajsReader(admin),
    connect: {},
    registry: {},
    engine: {},
    audit: { append: unused },
    lag,
  } as unknown as Sources;
  const app = await buildApp({
    ctx: { env: 'local', model, wall: new Wall(model, 'local'), sources },
    verify,
    security: { rateLimitPerMinute: 10_000_000 },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const apiPort = (app.server.address() as { port: number }).port;
  const headers = { authorization: `Bearer ${token}` };

  /** The API's route against a bare Fastify route serving the very payload the API answered. */
  const compare = async (label: string, path: string, count: (body: string) => string) => {
    const payload = (await app.inject({ url: path, headers })).body;
    const bare = Fastify();
    bare.get(path.split('?')[0]!, async (_req, reply) => reply.type('application/json').send(payload));
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const barePort = (bare.server.address() as { port: number }).port;
    // Alternating rounds, best of each: the machine is shared, and noise only ever slows a round down.
    const best = (a: Result, b: Result) => (a.rps >= b.rps ? a : b);
    let baseline = await load(barePort, path, {});
    let api = await load(apiPort, path, headers);
    baseline = best(baseline, await load(barePort, path, {}));
    api = best(api, await load(apiPort, path, headers));
    await bare.close();
    const fmt = (r: Result) =>
      `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  (${r.requests} requests)`;
    console.log(
      `${label}: ${count(payload)} per response, ${payload.length} bytes, ${CONCURRENCY} connections, best of 2 alternating ${DURATION_MS / 1000}s rounds, local broker`,
    );
    console.log(`  bare Fastify route (same payload): ${fmt(baseline)}`);
    console.log(`  admin API (auth, wall, cache):     ${fmt(api)}`);
    console.log(`  ratio: ${(api.rps / baseline.rps).toFixed(2)}x of the bare route (goal >= 0.5x)`);
  };

  await compare(
    'GET /api/v1/topics?page_size=1000',
    '/api/v1/topics?page_size=1000',
    (b) => `${JSON.parse(b).items.length} topics`,
  );
  await compare(
    `GET /api/v1/groups/${GROUP}/lag`,
    `/api/v1/groups/${GROUP}/lag`,
    (b) => `${JSON.parse(b).partitions.length} partitions`,
  );

  await lag.stop();
  await app.close();
  await admin.deleteGroups([GROUP]).catch(() => undefined);
  await admin.deleteTopics({ topics: wanted }).catch(() => undefined);
  await admin.disconnect();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
