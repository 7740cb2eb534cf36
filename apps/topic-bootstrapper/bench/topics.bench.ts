/**
 * Benchmark: plan and apply for ~1,000 topics and ~3,000 ACLs on the local broker, batched (the
 * bootstrapper) against a naive one-request-per-object baseline, each under its own throw-away
 * managed prefix. Prints seconds and admin request counts, then deletes everything it created.
 *
 *   npx nx run topic-bootstrapper:bench        (TOPICS=1000 by default)
 */
import { randomBytes } from 'node:crypto';
import {
  deriveAcls,
  deriveTopics,
  loadPlatformModel,
  type PlatformModel,
  type TableSpec,
} from '@lakewall/platform-model';
import { applyModel, countingAdmin, planModel, toAclEntry } from '@lakewall/topic-admin';
import { cleanupPrefix, withAdmin } from '@lakewall/topic-admin/testing';
import { resolveConnection } from '@lakewall/kafka-connection';
import type { Admin, KafkaConfig } from 'kafkajs';

const TOPICS = Number(process.env.TOPICS ?? 1000);

/** A synthetic model: TOPICS tables (half MNPI), 1 partition, three principals with Kafka grants. */
function syntheticModel(prefix: string): PlatformModel {
  const base = loadPlatformModel();
  const m = structuredClone(base);
  m.kafka.managedTopicPrefix = prefix;
  m.kafka.topicNaming = `${prefix}{table}.{zone}`;
  m.environments.local.kafka.topicClasses = { cdc: { partitions: 1 } };
  const template = base.tables.trades;
  const tables: Record<string, TableSpec> = {};
  for (let i = 0; i < TOPICS; i++) {
    tables[`t${String(i).padStart(5, '0')}`] = {
      ...template,
      classification: i % 2 === 0 ? 'mnpi' : 'public',
    };
  }
  m.tables = tables;
  // debezium: WRITE+DESCRIBE on every topic (2 per topic); sink-mnpi: READ+DESCRIBE on MNPI topics
  // (1 per topic on average); the bootstrapper's prefixed grants. Everyone else: no Kafka grants.
  for (const [name, p] of Object.entries(m.principals)) {
    if (!['debezium', 'sink-mnpi', 'bootstrapper'].includes(name)) delete p.kafka;
  }
  return m;
}

const total = (counts: Readonly<Record<string, number>> | undefined) =>
  Object.values(counts ?? {}).reduce((a, b) => a + b, 0);
const fmt = (counts: Readonly<Record<string, number>> | undefined) =>
  Object.entries(counts ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

/** The naive baseline: read and write one object per request. */
async function naive(kafka: KafkaConfig, model: PlatformModel, write: boolean) {
  const topics = deriveTopics(model, 'local');
  const acls = deriveAcls(model, 'local');
  return withAdmin(async (raw) => {
    const { admin, counts } = countingAdmin(raw);
    const started = Date.now();
    const existing = new Set(await admin.listTopics());
    for (const t of topics) {
      if (!existing.has(t.name)) continue;
      await admin.fetchTopicMetadata({ topics: [t.name] });
      await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: t.name }],
      } as Parameters<Admin['describeConfigs']>[0]);
    }
    await admin.describeAcls({
      resourceType: 1,
      resourcePatternType: 1,
      operation: 1,
      permissionType: 1,
    } as Parameters<Admin['describeAcls']>[0]);
    if (write) {
      for (const t of topics) {
        if (existing.has(t.name)) continue;
        await admin.createTopics({
          waitForLeaders: false, // kafkajs' wait trips over KRaft's transient UNKNOWN_TOPIC_OR_PARTITION
          topics: [
            {
              topic: t.name,
              numPartitions: t.partitions,
              replicationFactor: t.replicationFactor,
              configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
            },
          ],
        });
      }
      for (const a of acls) await admin.createAcls({ acl: [toAclEntry(a)] });
    }
    return { seconds: (Date.now() - started) / 1000, counts: { ...counts } };
  }, kafka);
}

/** Deletes one run's topics and ACLs (the shared, batched cleanup; big deletes get a longer timeout). */
const cleanup = (kafka: KafkaConfig, prefix: string) =>
  cleanupPrefix(prefix, { kafka, deleteTimeoutMs: 120_000 });

async function main(): Promise<void> {
  const { kafka } = await resolveConnection({}, true);
  const id = randomBytes(3).toString('hex');
  const batchedPrefix = `cdc-bench-${id}-b.`;
  const naivePrefix = `cdc-bench-${id}-n.`;
  const batchedModel = syntheticModel(batchedPrefix);
  const naiveModel = syntheticModel(naivePrefix);
  const nAcls = deriveAcls(batchedModel, 'local').length;
  const log = (s: string) => process.stdout.write(`${s}\n`);
  log(
    `bench: ${deriveTopics(batchedModel, 'local').length} topics (1 partition), ${nAcls} ACLs on ${(kafka.brokers as string[]).join(',')}`,
  );

  try {
    const applied = await applyModel({ model: batchedModel, env: 'local', kafka, throwOnFailure: true });
    const applyCount = total(applied.adminRequests);
    log(
      `batched  first apply : ${applied.seconds.toFixed(2)}s, ${applyCount} admin requests (${fmt(applied.adminRequests)})`,
    );
    let t = Date.now();
    const noop = await planModel({ model: batchedModel, env: 'local', kafka });
    const noopSeconds = (Date.now() - t) / 1000;
    if (noop.summary.pendingChanges !== 0)
      throw new Error(`no-op plan is not empty: ${noop.summary.pendingChanges} change(s)`);
    log(
      `batched  no-op plan  : ${noopSeconds.toFixed(2)}s, ${total(noop.adminRequests)} admin requests (${fmt(noop.adminRequests)})`,
    );
    t = Date.now();
    await cleanup(kafka, batchedPrefix);
    log(`(cleanup ${((Date.now() - t) / 1000).toFixed(1)}s)`);

    const nApply = await naive(kafka, naiveModel, true);
    log(
      `naive    first apply : ${nApply.seconds.toFixed(2)}s, ${total(nApply.counts)} admin requests (${fmt(nApply.counts)})`,
    );
    const nPlan = await naive(kafka, naiveModel, false);
    log(
      `naive    no-op plan  : ${nPlan.seconds.toFixed(2)}s, ${total(nPlan.counts)} admin requests (${fmt(nPlan.counts)})`,
    );

    log('');
    log(
      `ratio naive/batched, first apply: ${(nApply.seconds / applied.seconds).toFixed(1)}x time, ${(total(nApply.counts) / applyCount).toFixed(0)}x requests`,
    );
    log(
      `ratio naive/batched, no-op plan : ${(nPlan.seconds / noopSeconds).toFixed(1)}x time, ${(total(nPlan.counts) / total(noop.adminRequests)).toFixed(0)}x requests`,
    );
  } finally {
    await cleanup(kafka, batchedPrefix);
    await cleanup(kafka, naivePrefix);
    log('bench topics and ACLs deleted');
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
