import type { Admin, AclEntry, AclFilter } from 'kafkajs';
import type {
  AclBinding,
  AclOperation,
  AclPatternType,
  AclPermission,
  AclResourceType,
} from '@lakewall/platform-model';
import type { ClusterState, LiveTopic } from '../types';

/** kafkajs wire enums (kept local so the pure code never depends on kafkajs' runtime). */
const RESOURCE_TYPE: Record<AclResourceType | 'ANY', number> = {
  ANY: 1,
  TOPIC: 2,
  GROUP: 3,
  CLUSTER: 4,
  TRANSACTIONAL_ID: 5,
};
const PATTERN_TYPE: Record<AclPatternType | 'ANY', number> = { ANY: 1, LITERAL: 3, PREFIXED: 4 };
const OPERATION: Record<AclOperation | 'ANY', number> = {
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
};
const PERMISSION: Record<AclPermission | 'ANY', number> = { ANY: 1, DENY: 2, ALLOW: 3 };
const CONFIG_RESOURCE_TOPIC = 2;
const CONFIG_SOURCE_TOPIC = 1; // DYNAMIC_TOPIC_CONFIG

function reverse<K extends string>(m: Record<K, number>): Map<number, K> {
  return new Map(Object.entries(m).map(([k, v]) => [v as number, k as K]));
}
const RESOURCE_NAME = reverse(RESOURCE_TYPE);
const PATTERN_NAME = reverse(PATTERN_TYPE);
const OPERATION_NAME = reverse(OPERATION);
const PERMISSION_NAME = reverse(PERMISSION);

export function toAclEntry(acl: AclBinding): AclEntry {
  return {
    principal: acl.principal,
    host: acl.host,
    resourceType: RESOURCE_TYPE[acl.resourceType],
    resourceName: acl.resourceName,
    resourcePatternType: PATTERN_TYPE[acl.patternType],
    operation: OPERATION[acl.operation],
    permissionType: PERMISSION[acl.permission],
  } as unknown as AclEntry;
}

/** An exact-match delete filter (LITERAL/PREFIXED filters match only that pattern type). */
export function toAclFilter(acl: AclBinding): AclFilter {
  return toAclEntry(acl) as unknown as AclFilter;
}

/** Counts every admin call, per method: the bench and the reports use it. */
export interface CountedAdmin {
  readonly admin: Admin;
  readonly counts: Record<string, number>;
}

export function countingAdmin(admin: Admin): CountedAdmin {
  const counts: Record<string, number> = {};
  const proxy = new Proxy(admin, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (
        typeof value !== 'function' ||
        typeof prop !== 'string' ||
        ['connect', 'disconnect', 'logger', 'on'].includes(prop)
      ) {
        return value;
      }
      return (...args: unknown[]) => {
        counts[prop] = (counts[prop] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { admin: proxy, counts };
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs async jobs with bounded concurrency, keeping result order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return results;
}

export interface ReadOptions {
  /** Which topics to describe in detail (partitions, replication, configs). */
  readonly include: (topic: string) => boolean;
  readonly describeConfigsBatch?: number;
  readonly metadataBatch?: number;
}

export async function readAcls(admin: Admin): Promise<AclBinding[]> {
  const res = await admin.describeAcls({
    resourceType: RESOURCE_TYPE.ANY,
    resourcePatternType: PATTERN_TYPE.ANY,
    operation: OPERATION.ANY,
    permissionType: PERMISSION.ANY,
  } as unknown as AclFilter);
  const out: AclBinding[] = [];
  for (const r of res.resources) {
    const resourceType = RESOURCE_NAME.get(r.resourceType as number);
    const patternType = PATTERN_NAME.get(r.resourcePatternType as number);
    for (const a of r.acls) {
      const operation = OPERATION_NAME.get(a.operation as number);
      const permission = PERMISSION_NAME.get(a.permissionType as number);
      if (!resourceType || resourceType === 'ANY' || !patternType || patternType === 'ANY') continue;
      if (!operation || operation === 'ANY' || !permission || permission === 'ANY') continue;
      out.push({
        principal: a.principal,
        host: a.host,
        resourceType,
        resourceName: r.resourceName,
        patternType,
        operation,
        permission,
      });
    }
  }
  return out;
}

export async function readClusterState(admin: Admin, options: ReadOptions): Promise<ClusterState> {
  const topicNames = (await admin.listTopics()).sort();
  const selected = topicNames.filter(options.include);
  const topics = new Map<string, LiveTopic>();
  const meta = new Map<string, { partitions: number; replicationFactor: number }>();
  for (const batch of chunk(selected, options.metadataBatch ?? 1000)) {
    const res = await admin.fetchTopicMetadata({ topics: batch });
    for (const t of res.topics) {
      meta.set(t.name, {
        partitions: t.partitions.length,
        replicationFactor: Math.max(0, ...t.partitions.map((p) => p.replicas.length)),
      });
    }
  }
  const configs = new Map<string, Record<string, string | null>>();
  await mapLimit(chunk(selected, options.describeConfigsBatch ?? 200), 4, async (batch) => {
    const res = await admin.describeConfigs({
      includeSynonyms: false,
      resources: batch.map((name) => ({ type: CONFIG_RESOURCE_TOPIC, name })),
    } as Parameters<Admin['describeConfigs']>[0]);
    for (const r of res.resources) {
      const dynamic: Record<string, string | null> = {};
      for (const e of r.configEntries) {
        if ((e.configSource as number) === CONFIG_SOURCE_TOPIC)
          dynamic[e.configName] = e.isSensitive ? null : e.configValue;
      }
      configs.set(r.resourceName, dynamic);
    }
  });
  for (const name of selected) {
    const m = meta.get(name);
    if (!m) continue;
    topics.set(name, { name, ...m, dynamicConfigs: configs.get(name) ?? {} });
  }
  const acls = await readAcls(admin);
  return { topicNames, topics, acls };
}
