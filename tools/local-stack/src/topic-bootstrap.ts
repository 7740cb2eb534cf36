/**
 * The one place the local stack asks for the model's topics and ACLs to be applied.
 *
 * The topic bootstrapper (@lakewall/topic-admin) owns this. Until it exports `applyModel`, a
 * TEMPORARY stand-in below creates the model's topics and ACLs (both from the platform model,
 * create-only, never deletes) so the local CDC path can be exercised. Remove the stand-in once
 * topic-admin's apply is available.
 */
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Kafka, logLevel, ResourcePatternTypes, type KafkaConfig } from 'kafkajs';
import { deriveAcls, deriveTopics, type PlatformModel } from '@lakewall/platform-model';

type ApplyModel = (opts: { model: PlatformModel; env: 'local'; kafka: KafkaConfig }) => Promise<unknown>;

function topicAdminApply(): ApplyModel | undefined {
  try {
    const mod = require('@lakewall/topic-admin') as { applyModel?: ApplyModel };
    return typeof mod.applyModel === 'function' ? mod.applyModel : undefined;
  } catch (e) {
    // Only "the library is not there" falls back; a library that fails to load is a real error.
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'MODULE_NOT_FOUND' && err.message.includes('@lakewall/topic-admin')) return undefined;
    throw e;
  }
}

export async function applyTopicsAndAcls(model: PlatformModel, adminConfig: KafkaConfig, log: (m: string) => void): Promise<void> {
  const apply = topicAdminApply();
  if (apply) {
    await apply({ model, env: 'local', kafka: adminConfig });
    return;
  }
  log('topic-admin applyModel not available yet: using the temporary create-only stand-in');
  await createOnlyStandIn(model, adminConfig);
}

/** TEMPORARY: create-only application of deriveTopics/deriveAcls (no updates, no deletes). */
async function createOnlyStandIn(model: PlatformModel, adminConfig: KafkaConfig): Promise<void> {
  const admin = new Kafka({ ...adminConfig, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const topics = deriveTopics(model, 'local').filter((t) => !existing.has(t.name));
    if (topics.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: topics.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          replicationFactor: t.replicationFactor,
          configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    await admin.createAcls({
      acl: deriveAcls(model, 'local').map((a) => ({
        principal: a.principal,
        host: a.host,
        resourceType: AclResourceTypes[a.resourceType],
        resourceName: a.resourceName,
        resourcePatternType: ResourcePatternTypes[a.patternType],
        operation: AclOperationTypes[a.operation],
        permissionType: AclPermissionTypes[a.permission],
      })),
    });
  } finally {
    await admin.disconnect();
  }
}
