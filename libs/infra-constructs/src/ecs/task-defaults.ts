import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeNag } from '../nag/acknowledge';
import { acknowledgeWildcard } from '../nag/wildcard-findings';

/** Environment names that look like a secret (a `..._SECRET_ARN` is a reference, not a secret). */
const SECRET_LIKE = /PASSWORD|SECRET(?!_ARN)|TOKEN|PRIVATE_KEY/i;

/**
 * Refuses container settings that look like secrets: a task definition's environment is readable
 * by anyone who may describe it, so secrets are read from Secrets Manager (by the program, or
 * injected by ECS as container secrets) and only their ARNs are settings.
 */
export function refuseSecretLikeSettings(
  construct: string,
  path: string,
  environment: Readonly<Record<string, string>>,
): void {
  const secretLike = Object.keys(environment).find((k) => SECRET_LIKE.test(k));
  if (secretLike) {
    throw new Error(
      `${construct} ${path}: environment ${secretLike} looks like a secret; pass a Secrets Manager ARN instead`,
    );
  }
}

/**
 * The findings every ECS task definition of the platform has for the same reasons, acknowledged
 * once here: settings as environment variables (refused when secret-like, see above) and the
 * execution role CDK writes (image pull, logs, injected secrets). Returns the execution role.
 */
export function acknowledgeTaskDefinitionDefaults(taskDefinition: ecs.TaskDefinition): iam.IRole {
  acknowledgeNag(
    taskDefinition.node.defaultChild!,
    'AwsSolutions-ECS2',
    'Only non-secret settings (environment name, brokers, URLs, secret ARNs) are environment variables; the constructor refuses anything that looks like a secret, and secrets come from Secrets Manager (read by the program, or injected by ECS through the container secrets).',
  );
  const executionRole = taskDefinition.obtainExecutionRole();
  acknowledgeWildcard(
    executionRole,
    'Resource::*',
    'ecr:GetAuthorizationToken has no resource-level permissions; ECS needs it to pull the image.',
  );
  acknowledgeNag(
    executionRole.node.findChild('DefaultPolicy'),
    'NIST.800.53.R5-IAMNoInlinePolicy',
    "ECS's image pull, log and injected-secret grants, written by CDK into a policy attached to this execution role only.",
  );
  return executionRole;
}
