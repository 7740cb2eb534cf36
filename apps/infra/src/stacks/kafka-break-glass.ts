import { Tags } from 'aws-cdk-lib';
import { KafkaBreakGlassRole, type OneShotTask } from '@lakewall/infra-constructs';
import type { PlatformModel } from '@lakewall/platform-model';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environment-config';
import type { LakeInfraStack } from './lake-infra-stack';
import { BOOTSTRAPPER } from './service-roles';

/**
 * The bootstrapper's first run on a new MSK cluster: the IAM break-glass role it may assume, and its
 * task's settings to use it only when it holds no ACLs yet (`apply --break-glass-when-needed`), so
 * the same task runs on every deploy and bootstraps a new cluster without an operator.
 */
export function addKafkaBreakGlass(
  scope: Construct,
  inputs: {
    model: PlatformModel;
    config: EnvironmentConfig;
    infra: LakeInfraStack;
    bootstrapper: OneShotTask;
  },
): KafkaBreakGlassRole {
  const { model, config, infra, bootstrapper } = inputs;
  const glass = new KafkaBreakGlassRole(scope, 'KafkaBreakGlass', {
    cluster: infra.kafka,
    assumableBy: bootstrapper.taskDefinition.taskRole,
    roleName: `${model.project}-${config.name}-kafka-break-glass`,
  });
  // It acts for the bootstrapper alone: the access proof takes its clearance from this tag.
  Tags.of(glass.role).add('principal', BOOTSTRAPPER);
  const container = bootstrapper.taskDefinition.defaultContainer!;
  container.addEnvironment('LAKEWALL_BREAK_GLASS_IAM_ROLE_ARN', glass.role.roleArn);
  container.addEnvironment('LAKEWALL_BREAK_GLASS_BROKERS', infra.kafka.brokers.bootstrapBrokersSaslIam);
  container.addEnvironment('LAKEWALL_BREAK_GLASS_WHEN_NEEDED', 'true');
  return glass;
}
