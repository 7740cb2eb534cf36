import type { Admin } from 'kafkajs';
import type { AclBinding } from '@lakewall/platform-model';
import type { ExecutedStep, Plan } from '../types';
import { chunk, readAcls, toAclEntry, toAclFilter } from './admin-ops';
import { aclKey } from '@lakewall/platform-model';
import { describeKafkaError } from './errors';
import type { TopicAdminLogger } from '../logger';

export interface ExecuteOptions {
  readonly brokers: readonly string[];
  readonly username?: string;
  readonly logger: TopicAdminLogger;
  readonly batchSize?: { topics?: number; acls?: number; configs?: number };
  /** Server-side timeout for topic creation/deletion, ms. */
  readonly timeoutMs?: number;
  /** How long to wait for created/deleted ACLs to become visible on the broker. */
  readonly aclPropagationTimeoutMs?: number;
}

type Operation = ExecutedStep['operation'];

function aclLabel(a: AclBinding): string {
  return `${a.permission} ${a.operation} ${a.resourceType}:${a.patternType}:${a.resourceName} ${a.principal}@${a.host}`;
}

/**
 * Executes a plan's writes in dependency order, in batches. A batch that fails because the cluster
 * is unreachable stops everything after it (reported as not-attempted); a batch rejected by the
 * broker is reported as failed and the remaining batches still run.
 */
export async function executePlan(
  admin: Admin,
  plan: Plan,
  options: ExecuteOptions,
): Promise<ExecutedStep[]> {
  const { logger } = options;
  const steps: ExecutedStep[] = [];
  const topicBatch = options.batchSize?.topics ?? 100;
  const aclBatch = options.batchSize?.acls ?? 500;
  const configBatch = options.batchSize?.configs ?? 100;
  const timeout = options.timeoutMs ?? 30000;
  let stopped: string | undefined;

  async function run<T>(
    operation: Operation,
    items: readonly T[],
    size: number,
    label: (t: T) => string,
    send: (batch: T[]) => Promise<Map<string, string> | void>,
  ) {
    if (items.length === 0) return;
    let done = 0;
    for (const batch of chunk(items, size)) {
      if (stopped) {
        for (const t of batch)
          steps.push({ operation, target: label(t), status: 'not-attempted', error: stopped });
        continue;
      }
      try {
        const itemErrors = (await send(batch)) ?? new Map<string, string>();
        for (const t of batch) {
          const error = itemErrors.get(label(t));
          steps.push(
            error
              ? { operation, target: label(t), status: 'failed', error }
              : { operation, target: label(t), status: 'done' },
          );
          if (!error) done++;
        }
        logger.info({ operation, done, total: items.length }, `${operation}: ${done}/${items.length}`);
      } catch (err) {
        const e = describeKafkaError(err, options.brokers, options.username);
        for (const t of batch)
          steps.push({ operation, target: label(t), status: 'failed', error: e.message });
        logger.error(
          { operation, error: e.message, batch: batch.length },
          `${operation} failed: ${e.message}`,
        );
        if (e.kind !== 'kafka') stopped = `not attempted: an earlier step failed (${e.message})`;
      }
    }
  }

  const creates = plan.topics.filter((t) => t.action === 'create');
  await run(
    'createTopics',
    creates,
    topicBatch,
    (t) => t.topic,
    async (batch) => {
      try {
        // kafkajs' own leader wait gives up on KRaft's transient UNKNOWN_TOPIC_OR_PARTITION: wait below instead.
        await admin.createTopics({
          waitForLeaders: false,
          timeout,
          topics: batch.map((t) => ({
            topic: t.topic,
            numPartitions: t.partitions.desired,
            replicationFactor: t.replicationFactor.desired,
            configEntries: t.configChanges.map((c) => ({ name: c.name, value: c.to })),
          })),
        });
      } catch (err) {
        const errors = (err as { errors?: { topic?: string; type?: string; message?: string }[] }).errors;
        if (!Array.isArray(errors) || !errors.every((e) => e.topic)) throw err;
        const perTopic = new Map<string, string>();
        for (const e of errors)
          if (e.type !== 'TOPIC_ALREADY_EXISTS') perTopic.set(e.topic as string, `${e.type}: ${e.message}`);
        await waitForLeaders(
          admin,
          batch.map((t) => t.topic).filter((t) => !perTopic.has(t)),
          timeout,
        );
        return perTopic;
      }
      await waitForLeaders(
        admin,
        batch.map((t) => t.topic),
        timeout,
      );
    },
  );

  const grows = plan.topics.filter(
    (t) => t.action === 'update' && (t.partitions.desired ?? 0) > (t.partitions.current ?? 0),
  );
  await run(
    'createPartitions',
    grows,
    topicBatch,
    (t) => t.topic,
    async (batch) => {
      await admin.createPartitions({
        timeout,
        topicPartitions: batch.map((t) => ({ topic: t.topic, count: t.partitions.desired as number })),
      });
    },
  );

  const alters = plan.topics.filter(
    (t) => t.action === 'update' && t.mergedConfigs && t.configChanges.length > 0,
  );
  await run(
    'alterConfigs',
    alters,
    configBatch,
    (t) => t.topic,
    async (batch) => {
      await admin.alterConfigs({
        validateOnly: false,
        // Legacy AlterConfigs replaces every dynamic config of the topic: send the merged set.
        resources: batch.map((t) => ({
          type: 2,
          name: t.topic,
          configEntries: Object.entries(t.mergedConfigs ?? {}).map(([name, value]) => ({ name, value })),
        })),
      } as unknown as Parameters<Admin['alterConfigs']>[0]);
    },
  );

  const aclCreates = plan.acls.filter((a) => a.action === 'create').map((a) => a.acl);
  await run('createAcls', aclCreates, aclBatch, aclLabel, async (batch) => {
    await admin.createAcls({ acl: batch.map(toAclEntry) });
  });

  const aclDeletes = plan.acls.filter((a) => a.action === 'delete').map((a) => a.acl);
  await run('deleteAcls', aclDeletes, aclBatch, aclLabel, async (batch) => {
    await admin.deleteAcls({ filters: batch.map(toAclFilter) });
  });

  // KRaft brokers apply ACL changes from the metadata log a moment after the controller accepts
  // them: wait until the broker reports them, so the ACLs are in force when apply returns (and an
  // immediate plan sees no changes).
  const created = steps
    .filter((s) => s.operation === 'createAcls' && s.status === 'done')
    .map((s) => s.target);
  const deleted = steps
    .filter((s) => s.operation === 'deleteAcls' && s.status === 'done')
    .map((s) => s.target);
  if (!stopped && (created.length || deleted.length)) {
    const want = new Set(aclCreates.filter((a) => created.includes(aclLabel(a))).map(aclKey));
    const gone = new Set(aclDeletes.filter((a) => deleted.includes(aclLabel(a))).map(aclKey));
    const deadline = Date.now() + (options.aclPropagationTimeoutMs ?? 15000);
    for (;;) {
      const live = new Set((await readAcls(admin).catch(() => [])).map(aclKey));
      const missing = [...want].filter((k) => !live.has(k)).length;
      const lingering = [...gone].filter((k) => live.has(k)).length;
      if (missing === 0 && lingering === 0) break;
      if (Date.now() > deadline) {
        logger.warn(
          { missing, lingering },
          `ACL changes accepted but not yet visible on the broker (${missing} missing, ${lingering} still present)`,
        );
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  const topicDeletes = plan.topics.filter((t) => t.action === 'delete');
  await run(
    'deleteTopics',
    topicDeletes,
    topicBatch,
    (t) => t.topic,
    async (batch) => {
      await admin.deleteTopics({ topics: batch.map((t) => t.topic), timeout });
    },
  );

  return steps;
}

/** Waits until every partition of the topics has a leader (the broker may not know them at once). */
async function waitForLeaders(admin: Admin, topics: readonly string[], timeoutMs: number): Promise<void> {
  if (topics.length === 0) return;
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const res = await admin.fetchTopicMetadata({ topics: [...topics] });
      const ready =
        res.topics.length === topics.length &&
        res.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      if (ready) return;
      last = 'some partitions have no leader yet';
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline)
      throw new Error(
        `topics were created but their leaders did not appear within ${timeoutMs / 1000}s (${last})`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}
