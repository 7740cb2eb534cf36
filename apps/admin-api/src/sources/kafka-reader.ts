import { AssignerProtocol, ConfigResourceTypes, type Admin } from 'kafkajs';
import { readAcls } from '@lakewall/topic-admin';
import type { AclBinding } from '@lakewall/platform-model';
import type {
  ClusterInfo,
  GroupDetail,
  GroupSummary,
  KafkaReader,
  PartitionInfo,
  TopicConfigEntry,
} from './types';

/** A value computed at most once per `ttlMs`; concurrent callers share one request. */
function cached<T>(ttlMs: number, load: () => Promise<T>): () => Promise<T> {
  let value: { at: number; p: Promise<T> } | undefined;
  return () => {
    if (value && Date.now() - value.at < ttlMs) return value.p;
    const p = load();
    value = { at: Date.now(), p };
    p.catch(() => (value = undefined));
    return p;
  };
}

const CONFIG_SOURCES: Record<number, string> = {
  0: 'UNKNOWN',
  1: 'DYNAMIC_TOPIC_CONFIG',
  2: 'DYNAMIC_BROKER_CONFIG',
  3: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
  4: 'STATIC_BROKER_CONFIG',
  5: 'DEFAULT_CONFIG',
  6: 'DYNAMIC_BROKER_LOGGER_CONFIG',
};

function isUnknownTopic(err: unknown): boolean {
  const e = err as { type?: string; name?: string };
  return (
    e?.type === 'UNKNOWN_TOPIC_OR_PARTITION' ||
    e?.name === 'KafkaJSUnknownTopic' ||
    /does not host this topic-partition|UNKNOWN_TOPIC/i.test(String((err as Error)?.message))
  );
}

/**
 * Cluster reads through kafkajs' admin client, as the model's admin-api principal (DESCRIBE on the
 * model's topics, groups and the cluster). Topic names and metadata are cached for `cacheTtlMs`
 * so that listing 1,000 topics does not cost a metadata request per call.
 */
export class KafkajsReader implements KafkaReader {
  private readonly names: () => Promise<string[]>;
  private readonly clusterInfo: () => Promise<ClusterInfo>;

  constructor(
    private readonly admin: Admin,
    cacheTtlMs = 2000,
  ) {
    this.names = cached(cacheTtlMs, async () => (await this.admin.listTopics()).sort());
    this.clusterInfo = cached(cacheTtlMs, async () => {
      const c = await this.admin.describeCluster();
      return {
        clusterId: c.clusterId,
        controller: c.controller,
        brokers: c.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port })),
      };
    });
  }

  cluster(): Promise<ClusterInfo> {
    return this.clusterInfo();
  }

  topicNames(): Promise<string[]> {
    return this.names();
  }

  async partitions(topic: string): Promise<PartitionInfo[] | undefined> {
    if (!(await this.names()).includes(topic)) return undefined;
    try {
      const [meta, offsets] = await Promise.all([
        this.admin.fetchTopicMetadata({ topics: [topic] }),
        this.admin.fetchTopicOffsets(topic),
      ]);
      const byPartition = new Map(offsets.map((o) => [o.partition, o]));
      return (meta.topics[0]?.partitions ?? [])
        .map((p) => ({
          partition: p.partitionId,
          leader: p.leader,
          replicas: p.replicas,
          isr: p.isr,
          earliestOffset: byPartition.get(p.partitionId)?.low ?? '0',
          latestOffset: byPartition.get(p.partitionId)?.high ?? '0',
        }))
        .sort((a, b) => a.partition - b.partition);
    } catch (err) {
      if (isUnknownTopic(err)) return undefined;
      throw err;
    }
  }

  async configs(topic: string): Promise<TopicConfigEntry[] | undefined> {
    if (!(await this.names()).includes(topic)) return undefined;
    const res = await this.admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
    });
    const entries = res.resources[0]?.configEntries ?? [];
    return entries
      .map((e) => ({
        name: e.configName,
        value: e.isSensitive ? null : e.configValue,
        source: CONFIG_SOURCES[(e as { configSource?: number }).configSource ?? 0] ?? 'UNKNOWN',
        isDefault: e.isDefault,
        isSensitive: e.isSensitive,
        readOnly: e.readOnly,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * kafkajs' alterConfigs is Kafka's legacy AlterConfigs, which replaces the topic's whole set of
   * dynamic configs: send the current dynamic set merged with the change, as the topic engine does.
   */
  async alterTopicConfigs(
    topic: string,
    set: Readonly<Record<string, string>>,
    validateOnly: boolean,
  ): Promise<void> {
    const current = (await this.configs(topic)) ?? [];
    const dynamic = Object.fromEntries(
      current
        .filter((c) => c.source === 'DYNAMIC_TOPIC_CONFIG' && c.value !== null)
        .map((c) => [c.name, c.value as string]),
    );
    if (current.some((c) => c.source === 'DYNAMIC_TOPIC_CONFIG' && c.value === null))
      throw new Error(
        'the topic has a sensitive dynamic config that cannot be carried over; change it with the model',
      );
    const merged = { ...dynamic, ...set };
    await this.admin.alterConfigs({
      validateOnly,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: topic,
          configEntries: Object.entries(merged).map(([name, value]) => ({ name, value })),
        },
      ],
    });
  }

  async groups(): Promise<GroupSummary[]> {
    const { groups } = await this.admin.listGroups();
    return groups.map((g) => ({ groupId: g.groupId, protocolType: g.protocolType }));
  }

  async group(groupId: string): Promise<GroupDetail | undefined> {
    if (!(await this.groups()).some((g) => g.groupId === groupId)) return undefined;
    const { groups } = await this.admin.describeGroups([groupId]);
    const g = groups[0];
    if (!g) return undefined;
    const offsets = await this.admin.fetchOffsets({ groupId });
    return {
      groupId,
      state: g.state,
      protocolType: g.protocolType,
      protocol: g.protocol,
      members: g.members.map((m) => {
        let assignment: Record<string, number[]> = {};
        // Only the consumer protocol's assignment is decoded; Connect's names connectors, not topics.
        if (g.protocolType === 'consumer' && m.memberAssignment?.length) {
          try {
            assignment = AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment ?? {};
          } catch {
            assignment = {};
          }
        }
        return { memberId: m.memberId, clientId: m.clientId, host: m.clientHost, assignment };
      }),
      offsets: offsets.flatMap((t) =>
        t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, offset: p.offset })),
      ),
    };
  }

  acls(): Promise<AclBinding[]> {
    return readAcls(this.admin);
  }
}
