import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  DEFAULT_MODEL_PATH,
  parsePlatformModel,
  type AclBinding,
  type PlatformModel,
} from '@lakewall/platform-model';
import type { Admin, KafkaConfig } from 'kafkajs';
import { kafkaClient } from '../src/engine';
import { readAcls, toAclFilter } from '../src/kafka/admin-ops';
import { localStackKafkaConfig } from '@lakewall/kafka-connection';

/** A unique managed prefix for one test run, so the real `cdc.` topics are never touched. */
export function testPrefix(kind = 'it'): string {
  return `cdc-${kind}-${randomBytes(3).toString('hex')}.`;
}

/** The repository's model text with its managed prefix (and topic naming) moved to `prefix`. */
export function variantModelText(prefix: string, edit: (text: string) => string = (t) => t): string {
  const text = readFileSync(DEFAULT_MODEL_PATH, 'utf8')
    .replace(/managedTopicPrefix: cdc\.\s*$/m, `managedTopicPrefix: ${prefix}`)
    .replace(/topicNaming: "cdc\.\{table\}\.\{zone\}"/, `topicNaming: "${prefix}{table}.{zone}"`);
  if (!text.includes(`managedTopicPrefix: ${prefix}`) || !text.includes(`"${prefix}{table}`)) {
    throw new Error('the model no longer has the expected managedTopicPrefix/topicNaming lines');
  }
  return edit(text);
}

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

export async function withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafkaClient(await adminConfig()).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Deletes every topic and topic ACL under a test prefix (the test's own objects only). */
export async function cleanupPrefix(prefix: string): Promise<void> {
  if (!prefix.startsWith('cdc-') || prefix === 'cdc.') throw new Error(`refusing to clean up ${prefix}`);
  await withAdmin(async (admin) => {
    const acls = (await readAcls(admin)).filter(
      (a) => a.resourceType === 'TOPIC' && a.resourceName.startsWith(prefix),
    );
    for (let i = 0; i < acls.length; i += 500)
      await admin.deleteAcls({ filters: acls.slice(i, i + 500).map(toAclFilter) });
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    for (let i = 0; i < topics.length; i += 200)
      await admin.deleteTopics({ topics: topics.slice(i, i + 200), timeout: 60000 });
  });
}

export async function addAcl(acl: AclBinding): Promise<void> {
  const { toAclEntry } = await import('../src/kafka/admin-ops');
  await withAdmin((admin) => admin.createAcls({ acl: [toAclEntry(acl)] }).then(() => undefined));
}

export async function removeAcl(acl: AclBinding): Promise<void> {
  await withAdmin((admin) => admin.deleteAcls({ filters: [toAclFilter(acl)] }).then(() => undefined));
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
