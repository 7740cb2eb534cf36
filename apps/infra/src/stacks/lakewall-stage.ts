import { Stage, type StageProps } from 'aws-cdk-lib';
import type { PlatformModel } from '@lakewall/platform-model';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environment-config';
import { pluginModeFrom } from './connect-plugins';
import { DataPlaneStack } from './data-plane-stack';
import { DeployAccessStack } from './deploy-access-stack';
import { LakeInfraStack } from './lake-infra-stack';

export interface LakewallStageProps extends StageProps {
  readonly model: PlatformModel;
  readonly config: EnvironmentConfig;
}

/**
 * One environment (dev, staging or prod) in its own account: the infra stack, then the data-plane
 * stack (MSK Connect, ECS services), which takes what it needs from `infra`; beside them the
 * deploy-access stack (GitHub OIDC and the CI roles), which nothing else depends on.
 */
export class LakewallStage extends Stage {
  readonly infra: LakeInfraStack;
  readonly dataPlane: DataPlaneStack;
  readonly deployAccess: DeployAccessStack;

  constructor(scope: Construct, id: string, props: LakewallStageProps) {
    super(scope, id, { ...props, env: { account: props.config.account, region: props.config.region } });
    this.infra = new LakeInfraStack(this, 'Infra', {
      stackName: `${props.model.project}-${props.config.name}-infra`,
      description: `${props.model.project} ${props.config.name}: network, lake, catalog, audit, source database, query access`,
      model: props.model,
      config: props.config,
      terminationProtection: props.config.deletionProtection,
    });
    this.dataPlane = new DataPlaneStack(this, 'DataPlane', {
      stackName: `${props.model.project}-${props.config.name}-data-plane`,
      description: `${props.model.project} ${props.config.name}: MSK Connect connectors and ECS services`,
      model: props.model,
      config: props.config,
      infra: this.infra,
      pluginMode: pluginModeFrom(),
      terminationProtection: props.config.deletionProtection,
    });
    this.deployAccess = new DeployAccessStack(this, 'DeployAccess', {
      stackName: `${props.model.project}-${props.config.name}-deploy-access`,
      description: `${props.model.project} ${props.config.name}: GitHub OIDC provider and the CI deploy and drift roles`,
      model: props.model,
      config: props.config,
      terminationProtection: true,
    });
  }
}
