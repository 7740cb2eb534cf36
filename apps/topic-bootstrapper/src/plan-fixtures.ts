// Test helper for the bootstrapper's unit specs: the real model, its desired state and policy, and
// a cluster exactly as the model wants it.
import { loadPlatformModel, type AclBinding } from '@lakewall/platform-model';
import { desiredStateOf, policyContextFor, type LiveTopic } from '@lakewall/topic-admin';

export const model = loadPlatformModel();
export const desired = desiredStateOf(model, 'local');
export const { mnpiTopics: _unused, ...policy } = policyContextFor(model, [], 'local');

export function inSyncCluster(): {
  topicNames: string[];
  topics: Map<string, LiveTopic>;
  acls: AclBinding[];
} {
  const topics = new Map<string, LiveTopic>();
  for (const t of desired.topics)
    topics.set(t.name, {
      name: t.name,
      partitions: t.partitions,
      replicationFactor: t.replicationFactor,
      dynamicConfigs: { ...t.configs },
    });
  return { topicNames: [...topics.keys()], topics, acls: [...desired.acls] };
}
