import { Stage, type StageProps } from 'aws-cdk-lib';
import type { PlatformModel } from '@lakewall/platform-model';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environment-config';
import { LakeInfraStack } from './lake-infra-stack';

export interface LakewallStageProps extends StageProps {
  readonly model: PlatformModel;
  readonly config: EnvironmentConfig;
}

/**
 * One environment (dev, staging or prod) in its own account. Holds the infra stack; the data-plane
 * stack (MSK, Kafka Connect, ECS services) will be added here beside it and take what it needs from
 * `infra`.
 */
export class LakewallStage extends Stage {
  readonly infra: LakeInfraStack;

  constructor(scope: Construct, id: string, props: LakewallStageProps) {
    super(scope, id, { ...props, env: { account: props.config.account, region: props.config.region } });
    this.infra = new LakeInfraStack(this, 'Infra', {
      stackName: `${props.model.project}-${props.config.name}-infra`,
      description: `${props.model.project} ${props.config.name}: network, lake, catalog, audit, source database, query access`,
      model: props.model,
      config: props.config,
      terminationProtection: props.config.deletionProtection,
    });
  }
}
