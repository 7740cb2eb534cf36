import type { KafkaConfig } from 'kafkajs';
import type { EnvName, PlatformModel } from '@lakewall/platform-model';
import { applyModel, planModel, verifyModel } from '@lakewall/topic-admin';
import { sourceNotConfigured } from '../domain/problem';
import type { TopicEngine } from './types';

/**
 * The topic engine, unchanged: plans (and verification) read as the API's own principal; an apply
 * runs as the model's topic-and-ACL manager, whose credentials the API holds for this alone, so
 * the API's principal itself never gets ALTER on the cluster.
 */
export function topicEngine(
  model: PlatformModel,
  env: EnvName,
  reader: KafkaConfig,
  applier: KafkaConfig | undefined,
): TopicEngine {
  return {
    plan: () => planModel({ model, env, kafka: reader }),
    apply: async () => {
      if (!applier) throw sourceNotConfigured('topic applier');
      return applyModel({ model, env, kafka: applier, throwOnFailure: false });
    },
    policy: async () => {
      const r = await verifyModel({ model, env, kafka: reader });
      return {
        desired: r.plan.policy.desired,
        live: r.plan.policy.live,
        drift: r.drift.map((d) => d.message),
      };
    },
  };
}
