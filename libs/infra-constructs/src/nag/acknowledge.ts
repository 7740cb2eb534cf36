import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Rule ids of the packs this platform runs, optionally with one finding in brackets. */
const NAG_RULE_ID = /^(AwsSolutions|NIST\.800\.53\.R5)-[A-Za-z0-9]+(\[.+\])?$/;

/**
 * Acknowledges one cdk-nag finding on one construct, with the reason it is acceptable.
 *
 * A thin wrapper so every acknowledgment in the code base has the same shape (rule id + reason, one
 * construct) and can be counted: cdk-nag 3 reads the acknowledgment from the construct's metadata.
 */
export function acknowledgeNag(scope: IConstruct, ruleId: string, reason: string): void {
  if (!NAG_RULE_ID.test(ruleId)) {
    throw new Error(
      `acknowledgeNag(${scope.node.path}): '${ruleId}' is not a cdk-nag rule id of the packs this platform runs`,
    );
  }
  if (reason.trim().length < 20) {
    throw new Error(
      `acknowledgeNag(${scope.node.path}, ${ruleId}): give a real reason (at least 20 characters)`,
    );
  }
  Validations.of(scope).acknowledge({ id: ruleId, reason });
}

/** Acknowledges the same rule on several constructs, each one individually. */
export function acknowledgeNagOnEach(scopes: readonly IConstruct[], ruleId: string, reason: string): void {
  for (const scope of scopes) acknowledgeNag(scope, ruleId, reason);
}

/** Every cdk-nag acknowledgment recorded in a construct tree (other validators' are left out). */
export function listAcknowledgments(root: IConstruct): { path: string; rule: string; reason: string }[] {
  const found: { path: string; rule: string; reason: string }[] = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [rule, reason] of Object.entries(entry.data as Record<string, string>)) {
        const id = rule.replace(/^annotation::/i, '');
        if (!NAG_RULE_ID.test(id)) continue;
        found.push({ path: construct.node.path, rule: id, reason });
      }
    }
  }
  return found;
}
