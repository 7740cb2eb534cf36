import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { acknowledgeNag } from './acknowledge';

/**
 * The finding id cdk-nag's wildcard rules (AwsSolutions-IAM5) report for a resource ARN expression,
 * e.g. `Resource::<LakeMnpiRawBucket1234.Arn>/*`. Computing it from the same token the grant used
 * keeps an acknowledgment pointed at exactly that resource, whatever its logical id becomes.
 */
export function wildcardResourceFinding(scope: IConstruct, arn: string): string {
  return `Resource::${flattenCfnReference(Stack.of(scope).resolve(arn))}`;
}

/** Acknowledges one AwsSolutions-IAM5 finding (an action or a resource) on one role or policy. */
export function acknowledgeWildcard(scope: IConstruct, finding: string, reason: string): void {
  acknowledgeNag(scope, `AwsSolutions-IAM5[${finding}]`, reason);
}
