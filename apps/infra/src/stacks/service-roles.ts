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

/** The model's Kafka principal the topic bootstrapper authenticates as. */
export const BOOTSTRAPPER = 'bootstrapper';
/**
 * The model's principal of the deploy-time source setup task: it reads the database's admin
 * credentials and Debezium's (and any other database role's) secret.
 */
export const SOURCE_SETUP = 'source-setup';
/** The model's Kafka principal the admin API authenticates as. */
export const ADMIN_API = 'admin-api';

/**
 * The principals whose ECS tasks read their own SCRAM secret: the bootstrapper, the monitor (the
 * model's monitor.principal) and the admin API. The SCRAM key's allow-list is exactly their roles.
 */
export function scramReaderPrincipals(model: PlatformModel): string[] {
  return [BOOTSTRAPPER, model.monitor.principal, ADMIN_API];
}
