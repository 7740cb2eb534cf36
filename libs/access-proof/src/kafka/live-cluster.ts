/**
 * The live half of the Kafka plane: every ACL binding on a running cluster, and the topics under the
 * managed prefix that the model does not classify public (an undeclared topic there is MNPI until
 * the model says otherwise: fail closed). Needs DESCRIBE on the cluster.
 */
import type { KafkaConfig } from 'kafkajs';
import {
  deriveClassification,
  zoneOf,
  type AclBinding,
  type EnvName,
  type PlatformModel,
} from '@lakewall/platform-model';
import { openSession, readAcls } from '@lakewall/topic-admin/read';

export interface LiveKafka {
  readonly liveAcls: AclBinding[];
  readonly liveTopics: string[];
  readonly clusterId: string;
}

export async function readLiveKafka(
  kafka: KafkaConfig,
  model: PlatformModel,
  env: EnvName,
  opts: { connectTimeoutMs?: number } = {},
): Promise<LiveKafka> {
  const session = await openSession({ kafka, connectTimeoutMs: opts.connectTimeoutMs });
  try {
    const classification = deriveClassification(model, env);
    const liveAcls = await readAcls(session.admin);
    const liveTopics = (await session.admin.listTopics())
      .filter((t) => t.startsWith(model.kafka.managedTopicPrefix))
      .filter((t) => zoneOf(classification, 'topic', t) === 'mnpi')
      .sort();
    return { liveAcls, liveTopics, clusterId: session.clusterId };
  } finally {
    await session.close();
  }
}
