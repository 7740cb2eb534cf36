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

/**
 * The execution role name of an ECS service whose SCRAM password ECS injects (container secrets are
 * read by the execution role), e.g. "lakewall-dev-cruise-control-execution". Fixed for the same
 * reason as the task role's: the SCRAM key's allow-list in the infra stack names it.
 */
export function serviceExecutionRoleName(model: PlatformModel, env: CloudEnvName, principal: string): string {
  if (!model.principals[principal]) {
    throw new Error(`platform model: no principal '${principal}' for an ECS execution role`);
  }
  return `${model.project}-${env}-${principal}-execution`;
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
/** The model's Kafka principal Cruise Control authenticates as (cluster analysis only). */
export const CRUISE_CONTROL = 'cruise-control';
/** The model principal the schema registry's ECS task acts for (no Kafka access). */
export const SCHEMA_REGISTRY = 'schema-registry';

/**
 * The principals whose ECS tasks read their own SCRAM secret: the bootstrapper, the monitor (the
 * model's monitor.principal) and the admin API. The SCRAM key's allow-list is exactly their roles.
 */
export function scramReaderPrincipals(model: PlatformModel): string[] {
  return [BOOTSTRAPPER, model.monitor.principal, ADMIN_API];
}

/**
 * The role names on the SCRAM key's allow-list: the task roles of the principals that read their
 * own secret (scramReaderPrincipals), and Cruise Control's execution role, through which ECS
 * injects its password (its image cannot read Secrets Manager).
 */
export function scramReaderRoleNames(model: PlatformModel, env: CloudEnvName): string[] {
  return [
    ...scramReaderPrincipals(model).map((p) => serviceTaskRoleName(model, env, p)),
    serviceExecutionRoleName(model, env, CRUISE_CONTROL),
  ];
}
