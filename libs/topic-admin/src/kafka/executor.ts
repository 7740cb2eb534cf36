import { ConfigResourceTypes, type Admin } from 'kafkajs';
import { aclKey, type AclBinding } from '@lakewall/platform-model';
import type { TopicAdminLogger } from '../logger';
import type { ExecutedStep, Plan, StepOperation, TopicPlanItem } from '../types';
import { chunk, readAcls } from './admin-ops';
import { toAclEntry, toAclFilter } from './acl-codec';
import { describeKafkaError } from './errors';

export interface ExecuteOptions {
  readonly brokers: readonly string[];
  readonly username?: string;
  readonly logger: TopicAdminLogger;
  readonly batchSize?: { topics?: number; acls?: number; configs?: number };
  /** Server-side timeout for topic creation/deletion, ms. */
  readonly timeoutMs?: number;
  /** How long to wait for created/deleted ACLs to become visible on the broker. */
  readonly aclPropagationTimeoutMs?: number;
  /** Poll interval while waiting for leaders or ACL propagation, ms. @default 200 */
  readonly pollMs?: number;
}

export function aclLabel(a: AclBinding): string {
  return `${a.permission} ${a.operation} ${a.resourceType}:${a.patternType}:${a.resourceName} ${a.principal}@${a.host}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs one operation's batches and records a step per item. A batch that fails because the
 * cluster is unreachable stops every later batch (reported as not-attempted); a batch the broker
 * rejects is reported as failed and the remaining batches still run.
 */
class StepRunner {
  readonly steps: ExecutedStep[] = [];
  private stopped?: string;

  constructor(private readonly options: ExecuteOptions) {}

  async run<T>(
    operation: StepOperation,
    items: readonly T[],
    size: number,
    label: (t: T) => string,
    send: (batch: T[]) => Promise<Map<string, string> | void>,
  ): Promise<void> {
    let done = 0;
    for (const batch of chunk(items, size)) {
      if (this.stopped) {
        for (const t of batch)
          this.steps.push({ operation, target: label(t), status: 'not-attempted', error: this.stopped });
        continue;
      }
      try {
        const itemErrors = (await send(batch)) ?? new Map<string, string>();
        for (const t of batch) {
          const error = itemErrors.get(label(t));
          this.steps.push(
            error
              ? { operation, target: label(t), status: 'failed', error }
              : { operation, target: label(t), status: 'done' },
          );
          if (!error) done++;
        }
        this.options.logger.info(
          { operation, done, total: items.length },
          `${operation}: ${done}/${items.length}`,
        );
      } catch (err) {
        const e = describeKafkaError(err, this.options.brokers, this.options.username);
        for (const t of batch)
          this.steps.push({ operation, target: label(t), status: 'failed', error: e.message });
        this.options.logger.error(
          { operation, error: e.message, batch: batch.length },
          `${operation} failed: ${e.message}`,
        );
        if (e.kind !== 'kafka') this.stopped = `not attempted: an earlier step failed (${e.message})`;
      }
    }
  }

  succeeded(operation: StepOperation): Set<string> {
    return new Set(
      this.steps.filter((s) => s.operation === operation && s.status === 'done').map((s) => s.target),
    );
  }

  get halted(): boolean {
    return this.stopped !== undefined;
  }
}

/** Per-topic errors of a createTopics call that failed for some topics only (TOPIC_ALREADY_EXISTS is success). */
function perTopicErrors(err: unknown): Map<string, string> | undefined {
  const errors = (err as { errors?: { topic?: string; type?: string; message?: string }[] }).errors;
  if (!Array.isArray(errors) || !errors.every((e) => e.topic)) return undefined;
  const out = new Map<string, string>();
  for (const e of errors)
    if (e.type !== 'TOPIC_ALREADY_EXISTS') out.set(e.topic as string, `${e.type}: ${e.message}`);
  return out;
}

async function createTopics(r: StepRunner, admin: Admin, items: readonly TopicPlanItem[], o: ExecuteOptions) {
  const timeout = o.timeoutMs ?? 30000;
  await r.run(
    'createTopics',
    items,
    o.batchSize?.topics ?? 100,
    (t) => t.topic,
    async (batch) => {
      let errors = new Map<string, string>();
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
        const partial = perTopicErrors(err);
        if (!partial) throw err;
        errors = partial;
      }
      await waitForLeaders(
        admin,
        batch.map((t) => t.topic).filter((t) => !errors.has(t)),
        timeout,
        o.pollMs ?? 200,
      );
      return errors;
    },
  );
}

async function createPartitions(
  r: StepRunner,
  admin: Admin,
  items: readonly TopicPlanItem[],
  o: ExecuteOptions,
) {
  await r.run(
    'createPartitions',
    items,
    o.batchSize?.topics ?? 100,
    (t) => t.topic,
    async (batch) => {
      await admin.createPartitions({
        timeout: o.timeoutMs ?? 30000,
        topicPartitions: batch.map((t) => ({ topic: t.topic, count: t.partitions.desired as number })),
      });
    },
  );
}

async function alterConfigs(r: StepRunner, admin: Admin, items: readonly TopicPlanItem[], o: ExecuteOptions) {
  await r.run(
    'alterConfigs',
    items,
    o.batchSize?.configs ?? 100,
    (t) => t.topic,
    async (batch) => {
      await admin.alterConfigs({
        validateOnly: false,
        // Legacy AlterConfigs replaces every dynamic config of the topic: send the merged set.
        resources: batch.map((t) => ({
          type: ConfigResourceTypes.TOPIC,
          name: t.topic,
          configEntries: Object.entries(t.mergedConfigs ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
    },
  );
}

async function createAcls(r: StepRunner, admin: Admin, acls: readonly AclBinding[], o: ExecuteOptions) {
  await r.run('createAcls', acls, o.batchSize?.acls ?? 500, aclLabel, async (batch) => {
    await admin.createAcls({ acl: batch.map(toAclEntry) });
  });
}

async function deleteAcls(
  r: StepRunner,
  admin: Admin,
  acls: readonly AclBinding[],
  o: ExecuteOptions,
  operation: 'deleteAcls' | 'revokeAcls',
) {
  await r.run(operation, acls, o.batchSize?.acls ?? 500, aclLabel, async (batch) => {
    await admin.deleteAcls({ filters: batch.map(toAclFilter) });
  });
}

async function deleteTopics(r: StepRunner, admin: Admin, items: readonly TopicPlanItem[], o: ExecuteOptions) {
  await r.run(
    'deleteTopics',
    items,
    o.batchSize?.topics ?? 100,
    (t) => t.topic,
    async (batch) => {
      await admin.deleteTopics({ topics: batch.map((t) => t.topic), timeout: o.timeoutMs ?? 30000 });
    },
  );
}

/**
 * KRaft brokers apply ACL changes from the metadata log a moment after the controller accepts
 * them: wait until the broker reports them, so the ACLs are in force when apply returns (and an
 * immediate plan sees no changes).
 */
async function waitForAclPropagation(
  admin: Admin,
  created: readonly AclBinding[],
  deleted: readonly AclBinding[],
  o: ExecuteOptions,
): Promise<void> {
  if (created.length === 0 && deleted.length === 0) return;
  const want = new Set(created.map(aclKey));
  const gone = new Set(deleted.map(aclKey));
  const deadline = Date.now() + (o.aclPropagationTimeoutMs ?? 15000);
  for (;;) {
    const live = new Set((await readAcls(admin).catch(() => [])).map(aclKey));
    const missing = [...want].filter((k) => !live.has(k)).length;
    const lingering = [...gone].filter((k) => live.has(k)).length;
    if (missing === 0 && lingering === 0) return;
    if (Date.now() > deadline) {
      o.logger.warn(
        { missing, lingering },
        `ACL changes accepted but not yet visible on the broker (${missing} missing, ${lingering} still present)`,
      );
      return;
    }
    await sleep(o.pollMs ?? 200);
  }
}

/**
 * Revokes ACLs that break the MNPI policy. Runs before, and independently of, every other change:
 * a refused or failing change elsewhere never leaves a leak in place.
 */
export async function revokeAcls(
  admin: Admin,
  acls: readonly AclBinding[],
  options: ExecuteOptions,
): Promise<ExecutedStep[]> {
  const r = new StepRunner(options);
  await deleteAcls(r, admin, acls, options, 'revokeAcls');
  const done = r.succeeded('revokeAcls');
  if (!r.halted)
    await waitForAclPropagation(
      admin,
      [],
      acls.filter((a) => done.has(aclLabel(a))),
      options,
    );
  return r.steps;
}

/** Executes a plan's writes (revocations excepted: see revokeAcls) in dependency order, in batches. */
export async function executePlan(
  admin: Admin,
  plan: Plan,
  options: ExecuteOptions,
): Promise<ExecutedStep[]> {
  const r = new StepRunner(options);
  await createTopics(
    r,
    admin,
    plan.topics.filter((t) => t.action === 'create'),
    options,
  );
  await createPartitions(
    r,
    admin,
    plan.topics.filter(
      (t) => t.action === 'update' && (t.partitions.desired ?? 0) > (t.partitions.current ?? 0),
    ),
    options,
  );
  await alterConfigs(
    r,
    admin,
    plan.topics.filter((t) => t.action === 'update' && t.mergedConfigs && t.configChanges.length > 0),
    options,
  );
  // A grant for a topic that could not be created is not written: it would be an ACL on a name the
  // model cannot have, waiting for whoever creates that topic next.
  const notCreated = new Set(
    r.steps.filter((s) => s.operation === 'createTopics' && s.status !== 'done').map((s) => s.target),
  );
  const orphan = (a: AclBinding) =>
    a.resourceType === 'TOPIC' && a.patternType === 'LITERAL' && notCreated.has(a.resourceName);
  const wanted = plan.acls.filter((a) => a.action === 'create').map((a) => a.acl);
  for (const a of wanted.filter(orphan))
    r.steps.push({
      operation: 'createAcls',
      target: aclLabel(a),
      status: 'not-attempted',
      error: `its topic ${a.resourceName} was not created`,
    });
  const aclCreates = wanted.filter((a) => !orphan(a));
  await createAcls(r, admin, aclCreates, options);
  const aclDeletes = plan.acls.filter((a) => a.action === 'delete').map((a) => a.acl);
  await deleteAcls(r, admin, aclDeletes, options, 'deleteAcls');
  if (!r.halted) {
    const created = r.succeeded('createAcls');
    const deleted = r.succeeded('deleteAcls');
    await waitForAclPropagation(
      admin,
      aclCreates.filter((a) => created.has(aclLabel(a))),
      aclDeletes.filter((a) => deleted.has(aclLabel(a))),
      options,
    );
  }
  await deleteTopics(
    r,
    admin,
    plan.topics.filter((t) => t.action === 'delete'),
    options,
  );
  return r.steps;
}

/** Waits until every partition of the topics has a leader (the broker may not know them at once). */
async function waitForLeaders(
  admin: Admin,
  topics: readonly string[],
  timeoutMs: number,
  pollMs: number,
): Promise<void> {
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
    await sleep(pollMs);
  }
}
