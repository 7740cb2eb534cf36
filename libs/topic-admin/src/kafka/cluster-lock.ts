import {
  AssignerProtocol,
  type Admin,
  type Assigner,
  type Consumer,
  type Kafka,
  type PartitionAssigner,
} from 'kafkajs';

/**
 * A lock held on the cluster itself, so two applies (from two laptops, or a laptop and CI) never
 * write to one cluster at once. It is the single partition of a topic, handed out by a consumer
 * group: the member that joined first keeps it across rebalances (its join time travels in its
 * group metadata and the assignor favours the oldest), everyone else gets nothing and gives up.
 * A holder that crashes stops heartbeating, and the coordinator evicts it after the session
 * timeout: a lock can never be kept forever.
 */

export class ClusterLockHeldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterLockHeldError';
  }
}

export interface ClusterLockOptions {
  /** The lock's topic and group name (the model's kafka.applyLock). */
  readonly name: string;
  readonly replicationFactor: number;
  /** How long a crashed holder keeps the lock. @default 10000 */
  readonly sessionTimeoutMs?: number;
  /** How long to wait for the group to answer. @default 30000 */
  readonly acquireTimeoutMs?: number;
}

export interface ClusterLock {
  release(): Promise<void>;
}

const PROTOCOL = 'lakewall-lock';

/** Gives partition 0 to the member that has held or wanted the lock the longest. Pure. */
export function oldestMemberAssigner(topic: string): PartitionAssigner {
  return (): Assigner => ({
    name: PROTOCOL,
    version: 1,
    async assign({ members }) {
      const since = (m: { memberId: string; memberMetadata: Buffer }) => {
        const meta = AssignerProtocol.MemberMetadata.decode(m.memberMetadata);
        const parsed = meta?.userData?.length
          ? (JSON.parse(meta.userData.toString()) as { since?: number })
          : {};
        return parsed.since ?? Number.MAX_SAFE_INTEGER;
      };
      const sorted = [...members].sort((a, b) => since(a) - since(b) || a.memberId.localeCompare(b.memberId));
      return members.map((m) => ({
        memberId: m.memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          assignment: m.memberId === sorted[0]?.memberId ? { [topic]: [0] } : {},
          userData: Buffer.alloc(0),
        }),
      }));
    },
    protocol() {
      throw new Error('replaced per member below');
    },
  });
}

function withSince(assigner: PartitionAssigner, topic: string, since: number): PartitionAssigner {
  return (config) => {
    const a = assigner(config);
    return {
      ...a,
      protocol: () => ({
        name: PROTOCOL,
        metadata: AssignerProtocol.MemberMetadata.encode({
          version: 1,
          topics: [topic],
          userData: Buffer.from(JSON.stringify({ since })),
        }),
      }),
    };
  };
}

async function ensureLockTopic(admin: Admin, o: ClusterLockOptions): Promise<void> {
  const topics = await admin.listTopics();
  if (topics.includes(o.name)) return;
  await admin
    .createTopics({
      waitForLeaders: true,
      topics: [{ topic: o.name, numPartitions: 1, replicationFactor: o.replicationFactor }],
    })
    .catch((e: { type?: string }) => {
      if (e.type !== 'TOPIC_ALREADY_EXISTS') throw e;
    });
}

/** Takes the cluster lock or throws ClusterLockHeldError naming the holder. */
export async function acquireClusterLock(
  kafka: Kafka,
  admin: Admin,
  o: ClusterLockOptions,
): Promise<ClusterLock> {
  await ensureLockTopic(admin, o);
  const consumer: Consumer = kafka.consumer({
    groupId: o.name,
    sessionTimeout: o.sessionTimeoutMs ?? 10_000,
    rebalanceTimeout: o.sessionTimeoutMs ?? 10_000,
    heartbeatInterval: 1000,
    // The lock topic holds no records; short fetches let release() leave the group at once.
    maxWaitTimeInMs: 100,
    partitionAssigners: [withSince(oldestMemberAssigner(o.name), o.name, Date.now())],
    retry: { retries: 2 },
  });
  const release = async () => void (await consumer.disconnect().catch(() => undefined));
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: o.name });
    const assigned = new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `the cluster lock group ${o.name} did not answer within ${(o.acquireTimeoutMs ?? 30_000) / 1000}s`,
            ),
          ),
        o.acquireTimeoutMs ?? 30_000,
      );
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        clearTimeout(timer);
        resolve((e.payload.memberAssignment[o.name] ?? []).includes(0));
      });
      consumer.on(consumer.events.CRASH, (e) => {
        clearTimeout(timer);
        reject(e.payload.error);
      });
    });
    await consumer.run({ eachMessage: async () => undefined });
    if (await assigned) return { release };
    const holders = (await admin.describeGroups([o.name])).groups[0]?.members ?? [];
    const others = holders.map((m) => `${m.clientId} from ${m.clientHost}`).join(', ');
    throw new ClusterLockHeldError(
      `another apply holds the cluster lock ${o.name} (${others || 'a member that just left'}); ` +
        `nothing was written. Retry when it has finished (a crashed holder loses the lock after ${(o.sessionTimeoutMs ?? 10_000) / 1000}s).`,
    );
  } catch (e) {
    await release();
    throw e;
  }
}
