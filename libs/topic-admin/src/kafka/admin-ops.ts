import { ConfigResourceTypes, ConfigSource, type Admin } from 'kafkajs';
import type { AclBinding } from '@lakewall/platform-model';
import type { ClusterState, LiveTopic } from '../types';
import { ANY_ACL_FILTER, fromAclResources } from './acl-codec';

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

/** Every ACL binding on the cluster, of every resource type. */
export async function readAcls(admin: Admin): Promise<AclBinding[]> {
  const res = await admin.describeAcls(ANY_ACL_FILTER);
  return fromAclResources(res.resources);
}

export async function readClusterState(admin: Admin, options: ReadOptions): Promise<ClusterState> {
  const { clusterId } = await admin.describeCluster();
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
      resources: batch.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
    });
    for (const r of res.resources) {
      const dynamic: Record<string, string | null> = {};
      for (const e of r.configEntries) {
        if (e.configSource === ConfigSource.TOPIC_CONFIG)
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
  return { clusterId, topicNames, topics, acls };
}
