/**
 * The one place the local stack asks for the model's topics and ACLs to be applied: the topic
 * bootstrapper's engine (@lakewall/topic-admin applyModel), as the broker's `admin` super user.
 */
import type { KafkaConfig } from 'kafkajs';
import type { PlatformModel } from '@lakewall/platform-model';
import { ApplyFailedError, applyModel } from '@lakewall/topic-admin';
import { LOCAL_ENV } from './context';

/** Thrown when the model's topics and ACLs could not be applied; the message says what was not done. */
export class TopicBootstrapError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TopicBootstrapError';
  }
}

export async function applyTopicsAndAcls(
  model: PlatformModel,
  adminConfig: KafkaConfig,
  log: (m: string) => void,
): Promise<void> {
  try {
    const report = await applyModel({ model, env: LOCAL_ENV, kafka: adminConfig });
    log(`topics and ACLs applied: ${report.outcome} (${report.steps.length} change(s))`);
  } catch (e) {
    if (e instanceof ApplyFailedError) {
      throw new TopicBootstrapError(
        `applying the platform model's topics and ACLs to the local Kafka failed: ${e.message}`,
        { cause: e },
      );
    }
    throw e;
  }
}
