import * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/** Actions that change who may read a secret. */
export const SECRET_POLICY_ACTIONS = [
  'secretsmanager:PutResourcePolicy',
  'secretsmanager:DeleteResourcePolicy',
] as const;

/**
 * Denies changes to a secret's resource policy to every principal but the deployment role, whatever
 * IAM grants them: without it, anyone with secretsmanager:* could open the secret to themselves
 * (reading it still needs its key, whose allow-list is the second lock).
 */
export function denySecretPolicyChanges(secret: secretsmanager.Secret, deploymentRoleArn: string): void {
  secret.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyPolicyChangesOutsideDeployment',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: [...SECRET_POLICY_ACTIONS],
      resources: ['*'],
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': deploymentRoleArn } },
    }),
  );
}
