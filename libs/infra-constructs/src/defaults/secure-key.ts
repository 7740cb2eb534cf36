import { Lazy, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { KEY_USE_ACTIONS } from './key-actions';
import { KeyAdministration } from './key-administration';

export interface SecureKeyProps {
  /** Alias, e.g. "alias/lakewall-dev-mnpi-lake". */
  readonly alias: string;
  /** What the key protects. */
  readonly description: string;
  /**
   * What happens to the key when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The platform's customer-managed key defaults, in one place: symmetric, rotated yearly, retained,
 * and administered only by the stack's key administrator (see KeyAdministration).
 */
export function secureKey(scope: Construct, id: string, props: SecureKeyProps): kms.Key {
  const administration = KeyAdministration.of(scope);
  const key = new kms.Key(scope, id, {
    description: props.description,
    alias: props.alias,
    enableKeyRotation: true,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
  });
  administration.protect(key);
  return key;
}

export interface UseAllowListOptions {
  /** Sid of the Deny statement. */
  readonly sid: string;
  /** Principal ARNs allowed to use the key, read at synthesis once every grant is known. */
  readonly allowed: () => readonly string[];
  /**
   * Use actions to refuse to everyone else.
   * @default KEY_USE_ACTIONS
   */
  readonly actions?: readonly string[];
}

/**
 * Confines cryptographic use of a key to an allow-list: a Deny for every principal of an account
 * whose ARN is not listed, whatever IAM grants it. AWS services acting as themselves (CloudTrail,
 * CloudWatch Logs, RDS under its grants) are not IAM principals of the account and carry no
 * principal ARN, so the Deny exempts them (aws:PrincipalIsAWSService); they get only what the key's
 * Allow statements and grants give them. A service acting for a caller (S3, RDS restore, Secrets
 * Manager) carries the caller's ARN, so the allow-list applies to it.
 */
export function denyUseExceptAllowList(key: kms.Key, options: UseAllowListOptions): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: options.sid,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: [...(options.actions ?? KEY_USE_ACTIONS)],
      resources: ['*'],
      conditions: {
        ArnNotEquals: { 'aws:PrincipalArn': Lazy.list({ produce: () => [...options.allowed()] }) },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
      },
    }),
  );
}
