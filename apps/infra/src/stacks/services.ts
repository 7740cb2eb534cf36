import { Tags } from 'aws-cdk-lib';
import { SecurityGroup } from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { OneShotTask, acknowledgeNag } from '@lakewall/infra-constructs';
import type { PlatformModel } from '@lakewall/platform-model';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environment-config';
import type { LakeInfraStack } from './lake-infra-stack';

export interface ServicesInputs {
  readonly model: PlatformModel;
  readonly config: EnvironmentConfig;
  readonly infra: LakeInfraStack;
  readonly key: kms.IKey;
  readonly logRetention: RetentionDays;
  /**
   * The image tag every service runs (the commit the deploy builds).
   * @default process.env.LAKEWALL_IMAGE_TAG, else 'unreleased'
   */
  readonly imageTag?: string;
}

export interface Services {
  readonly cluster: ecs.Cluster;
  readonly bootstrapper: OneShotTask;
}

/** The model's Kafka principal the topic bootstrapper authenticates as. */
const BOOTSTRAPPER = 'bootstrapper';

/**
 * The ECS side of the data plane: a Fargate cluster and the topic bootstrapper's one-shot task,
 * which authenticates with its own SCRAM secret over TLS and may read that secret and nothing else.
 */
export function addServices(scope: Construct, inputs: ServicesInputs): Services {
  const { model, config, infra } = inputs;
  const prefix = `${model.project}-${config.name}`;
  const imageTag = inputs.imageTag ?? process.env.LAKEWALL_IMAGE_TAG ?? 'unreleased';
  if (!model.principals[BOOTSTRAPPER]?.kafka?.manageAcls) {
    throw new Error(`platform model: principal '${BOOTSTRAPPER}' must exist and manage ACLs`);
  }

  const cluster = new ecs.Cluster(scope, 'Services', {
    vpc: infra.network.vpc,
    clusterName: `${prefix}-services`,
    containerInsightsV2: ecs.ContainerInsights.ENHANCED,
  });

  const securityGroup = new SecurityGroup(scope, 'BootstrapperSecurityGroup', {
    vpc: infra.network.vpc,
    description: 'Topic bootstrapper task: Kafka and AWS endpoints only',
    allowAllOutbound: false,
  });
  infra.kafka.allowClientsFrom(securityGroup, 'topic bootstrapper');
  infra.network.allowEndpointAccess(securityGroup, 'topic bootstrapper');

  const bootstrapper = new OneShotTask(scope, 'Bootstrapper', {
    repositoryName: `${model.project}/topic-bootstrapper`,
    imageTag,
    securityGroup,
    key: inputs.key,
    logRetention: inputs.logRetention,
    environment: {
      LAKEWALL_ENV: config.name,
      LAKEWALL_KAFKA_BROKERS: infra.kafka.brokers.bootstrapBrokersSaslScram,
      LAKEWALL_KAFKA_TLS: 'true',
      LAKEWALL_KAFKA_SECRET_ARN: infra.kafka.scram.secretOf(BOOTSTRAPPER).secretArn,
    },
  });
  infra.kafka.scram.grantRead(BOOTSTRAPPER, bootstrapper.taskDefinition.taskRole);
  // The task acts as the model's bootstrapper: the access proof takes its clearance from this tag.
  Tags.of(bootstrapper.taskDefinition.taskRole).add('principal', BOOTSTRAPPER);
  acknowledgeNag(
    bootstrapper.taskDefinition.taskRole.node.findChild('DefaultPolicy'),
    'NIST.800.53.R5-IAMNoInlinePolicy',
    "The bootstrapper's one grant (its own SCRAM secret and that secret's key through Secrets Manager), in a policy attached to its task role only.",
  );
  return { cluster, bootstrapper };
}
