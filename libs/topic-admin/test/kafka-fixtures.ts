import { parsePlatformModel, type PlatformModel } from '@lakewall/platform-model';
import { localStackKafkaConfig } from '@lakewall/kafka-connection';
import type { Admin, KafkaConfig } from 'kafkajs';
import { variantModelText, withAdmin } from '../src/testing';

/** topic-admin's own integration fixtures; the shared ones live in src/testing (@lakewall/topic-admin/testing). */

export function variantModel(prefix: string, edit?: (text: string) => string): PlatformModel {
  return parsePlatformModel(variantModelText(prefix, edit), `variant ${prefix}`);
}

/** Changes the local environment's partition count for the cdc class. */
export function withLocalPartitions(model: PlatformModel, partitions: number): PlatformModel {
  const m = structuredClone(model);
  m.environments.local.kafka.topicClasses.cdc = {
    ...m.environments.local.kafka.topicClasses.cdc,
    partitions,
  };
  return m;
}

/** The local stack's `admin` super user (state read through @lakewall/kafka-connection). */
export async function adminConfig(): Promise<KafkaConfig> {
  return localStackKafkaConfig('admin');
}

export async function topicConfigs(topic: string): Promise<Record<string, string>> {
  return withAdmin(async (admin) => {
    const res = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: topic }],
    } as Parameters<Admin['describeConfigs']>[0]);
    const out: Record<string, string> = {};
    for (const e of res.resources[0].configEntries)
      if ((e.configSource as number) === 1) out[e.configName] = e.configValue;
    return out;
  });
}

export async function partitionsOf(topic: string): Promise<number> {
  return withAdmin(
    async (admin) => (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions.length,
  );
}

/** Sets a topic config out of band, keeping the topic's other dynamic configs (legacy AlterConfigs). */
export async function setConfigOutOfBand(topic: string, name: string, value: string): Promise<void> {
  const current = await topicConfigs(topic);
  await withAdmin((admin) =>
    admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: 2,
          name: topic,
          configEntries: Object.entries({ ...current, [name]: value }).map(([n, v]) => ({
            name: n,
            value: v,
          })),
        },
      ],
    } as unknown as Parameters<Admin['alterConfigs']>[0]),
  );
}
