import { Stack, type StackProps } from 'aws-cdk-lib';
import { GitHubDeployAccess, applyPlatformTags } from '@lakewall/infra-constructs';
import type { PlatformModel } from '@lakewall/platform-model';
import type { Construct } from 'constructs';
import type { CloudEnvName, EnvironmentConfig } from '../environment-config';

/**
 * The GitHub environments of one platform environment, as .github/workflows use them: the deploy
 * job runs in "<env>" (staging and prod behind required reviewers), the nightly drift job in
 * "<env>-drift" (no approval, read only).
 */
export function githubEnvironments(env: CloudEnvName): { deploy: string; drift: string } {
  return { deploy: env, drift: `${env}-drift` };
}

/** The deploy and drift role names of an environment (the workflows' DEPLOY_ROLE_ARN and DRIFT_ROLE_ARN). */
export function githubRoleNames(model: PlatformModel, env: CloudEnvName): { deploy: string; drift: string } {
  return { deploy: `${model.project}-${env}-github-deploy`, drift: `${model.project}-${env}-github-drift` };
}

export interface DeployAccessStackProps extends StackProps {
  readonly model: PlatformModel;
  readonly config: EnvironmentConfig;
}

/**
 * How CI reaches one environment's account: GitHub's OIDC provider and two roles, trusted only for
 * the model's repository in one GitHub environment each. Deployed once by an administrator of the
 * account (before the first CI deploy); later changes go through CI like any other stack.
 */
export class DeployAccessStack extends Stack {
  readonly access: GitHubDeployAccess;

  constructor(scope: Construct, id: string, props: DeployAccessStackProps) {
    super(scope, id, props);
    const { model, config } = props;
    const repository = model.delivery?.github.repository;
    if (!repository) {
      throw new Error('platform model: delivery.github.repository is required for the deploy roles');
    }
    const environments = githubEnvironments(config.name);
    const names = githubRoleNames(model, config.name);
    this.access = new GitHubDeployAccess(this, 'GitHub', {
      repository,
      roles: [
        { roleName: names.deploy, githubEnvironment: environments.deploy, access: 'deploy' },
        { roleName: names.drift, githubEnvironment: environments.drift, access: 'readOnly' },
      ],
    });
    applyPlatformTags(this, {
      project: model.project,
      environment: config.name,
      costCentre: model.costCentre,
    });
  }
}
