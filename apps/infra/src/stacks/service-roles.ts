import type { PlatformModel } from '@lakewall/platform-model';
import type { CloudEnvName } from '../environment-config';

/**
 * The IAM role name an ECS service of a model principal runs as, e.g. "lakewall-dev-monitor-task".
 * Fixed (not generated) so the infra stack's key allow-lists can name a role of the data-plane
 * stack, which deploys after it, without the infra stack referring to the later stack.
 */
export function serviceTaskRoleName(model: PlatformModel, env: CloudEnvName, principal: string): string {
  if (!model.principals[principal]) {
    throw new Error(`platform model: no principal '${principal}' for an ECS task role`);
  }
  return `${model.project}-${env}-${principal}-task`;
}
