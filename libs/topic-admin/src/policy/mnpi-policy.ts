import type { AclBinding, AclOperation, PlatformModel } from '@lakewall/platform-model';
import {
  aclCoversOperation,
  aclMatchesTopic,
  effectiveAccess,
  formatAcl,
  WILDCARD_HOST,
  WILDCARD_PRINCIPAL,
  WILDCARD_RESOURCE,
} from './evaluator';
import {
  exampleName,
  nameMatches,
  prefixCanMatch,
  topicNamePattern,
  type TopicNamePattern,
} from './topic-pattern';

/** The operations a principal not cleared for MNPI must never effectively hold on an MNPI topic. */
export const SENSITIVE_OPERATIONS: readonly AclOperation[] = ['READ', 'WRITE', 'DESCRIBE', 'ALTER'];

export type SubjectClearance = 'public' | 'unknown' | 'everyone';

export interface PolicyContext {
  /** "User:<name>" → clearance, for every principal the model knows. */
  readonly clearances: ReadonlyMap<string, 'mnpi' | 'public'>;
  /** MNPI topics that exist or will exist now. */
  readonly mnpiTopics: readonly string[];
  /** Every name an MNPI topic could ever have (for prefix capture). */
  readonly mnpiPattern?: TopicNamePattern;
  readonly operations?: readonly AclOperation[];
  readonly allowEveryoneIfNoAclFound?: boolean;
}

export interface PolicyViolation {
  readonly kind: 'effective-access' | 'prefix-capture';
  readonly principal: string;
  readonly clearance: SubjectClearance;
  /** The MNPI topic, or for prefix capture an example future MNPI topic name. */
  readonly topic: string;
  readonly operations: readonly AclOperation[];
  /** The ACLs that grant the access. */
  readonly grantedBy: readonly AclBinding[];
  readonly message: string;
}

/** Every principal the model declares keeps its clearance, whichever environments it exists in. */
export function policyContextFor(model: PlatformModel, mnpiTopics: readonly string[]): PolicyContext {
  const clearances = new Map<string, 'mnpi' | 'public'>();
  for (const [name, p] of Object.entries(model.principals)) clearances.set(`User:${name}`, p.clearance);
  return { clearances, mnpiTopics, mnpiPattern: topicNamePattern(model.kafka.topicNaming, 'mnpi') };
}

function clearanceOf(ctx: PolicyContext, principal: string): SubjectClearance | 'mnpi' {
  if (principal === WILDCARD_PRINCIPAL) return 'everyone';
  return ctx.clearances.get(principal) ?? 'unknown';
}

function describeSubject(principal: string, clearance: SubjectClearance): string {
  if (clearance === 'everyone') return `${principal} (every principal, including ones not cleared for MNPI)`;
  if (clearance === 'unknown') return `${principal} (not in the platform model, so not cleared for MNPI)`;
  return `${principal} (clearance: public)`;
}

/**
 * Every way an ACL set lets a principal not cleared for MNPI touch MNPI data:
 * (1) effective access to a current MNPI topic, with Kafka's full semantics (wildcards, prefixes,
 *     implied operations, DENY), and
 * (2) prefix capture: a PREFIXED or wildcard ALLOW that would cover an MNPI topic name the model
 *     could create later, without a DENY that covers everything the grant covers.
 */
export function checkMnpiPolicy(acls: readonly AclBinding[], ctx: PolicyContext): PolicyViolation[] {
  const operations = ctx.operations ?? SENSITIVE_OPERATIONS;
  const topicAcls = acls.filter((a) => a.resourceType === 'TOPIC');
  const subjects = new Set<string>([WILDCARD_PRINCIPAL]);
  for (const a of topicAcls) subjects.add(a.principal);
  for (const [p, c] of ctx.clearances) if (c !== 'mnpi') subjects.add(p);

  const violations: PolicyViolation[] = [];
  for (const principal of [...subjects].sort()) {
    const clearance = clearanceOf(ctx, principal);
    if (clearance === 'mnpi') continue;
    // Only this principal's and User:* ACLs can decide its access (all of them when
    // allow.everyone.if.no.acl.found makes "no ACL on the resource" matter).
    const relevant = ctx.allowEveryoneIfNoAclFound
      ? topicAcls
      : topicAcls.filter((a) => a.principal === principal || a.principal === WILDCARD_PRINCIPAL);
    for (const topic of [...new Set(ctx.mnpiTopics)].sort()) {
      const granted: AclOperation[] = [];
      const grantedBy = new Map<string, AclBinding>();
      for (const operation of operations) {
        const d = effectiveAccess(relevant, {
          principal,
          topic,
          operation,
          allowEveryoneIfNoAclFound: ctx.allowEveryoneIfNoAclFound,
        });
        if (!d.allowed) continue;
        granted.push(operation);
        for (const a of d.allowedBy) grantedBy.set(formatAcl(a), a);
      }
      if (granted.length === 0) continue;
      const via = grantedBy.size
        ? [...grantedBy.keys()].join('; ')
        : 'no ACL at all on the topic while allow.everyone.if.no.acl.found=true';
      violations.push({
        kind: 'effective-access',
        principal,
        clearance,
        topic,
        operations: granted,
        grantedBy: [...grantedBy.values()],
        message: `${describeSubject(principal, clearance)} has effective ${granted.join(', ')} on MNPI topic ${topic} via ${via}`,
      });
    }
    if (ctx.mnpiPattern)
      violations.push(...prefixCapture(topicAcls, principal, clearance, ctx.mnpiPattern, operations));
  }
  return violations;
}

function prefixCapture(
  acls: readonly AclBinding[],
  principal: string,
  clearance: SubjectClearance,
  pattern: TopicNamePattern,
  operations: readonly AclOperation[],
): PolicyViolation[] {
  const out: PolicyViolation[] = [];
  const broad = acls.filter(
    (a) =>
      a.permission === 'ALLOW' &&
      a.principal === principal &&
      (a.patternType === 'PREFIXED' || (a.patternType === 'LITERAL' && a.resourceName === WILDCARD_RESOURCE)),
  );
  for (const allow of broad) {
    const prefix = allow.patternType === 'PREFIXED' ? allow.resourceName : '';
    if (!prefixCanMatch(pattern, prefix)) continue;
    const uncancelled = operations.filter(
      (op) => aclCoversOperation(allow, op) && !coveredByDeny(acls, allow, prefix, op),
    );
    if (uncancelled.length === 0) continue;
    const example = exampleName(pattern, prefix) ?? pattern.description;
    // A literal name that exists today is reported by the effective-access check; this one is about names.
    out.push({
      kind: 'prefix-capture',
      principal,
      clearance,
      topic: example,
      operations: uncancelled,
      grantedBy: [allow],
      message:
        `${describeSubject(principal, clearance)} would get ${uncancelled.join(', ')} on every future MNPI topic ` +
        `named ${pattern.description} that starts with "${prefix}" (e.g. ${example}) via ${formatAcl(allow)}`,
    });
  }
  return out;
}

/** A DENY cancels a broad grant only if it applies to the same principals and hosts and covers all it covers. */
function coveredByDeny(
  acls: readonly AclBinding[],
  allow: AclBinding,
  prefix: string,
  op: AclOperation,
): boolean {
  return acls.some(
    (d) =>
      d.permission === 'DENY' &&
      (d.principal === allow.principal || d.principal === WILDCARD_PRINCIPAL) &&
      (d.host === WILDCARD_HOST || d.host === allow.host) &&
      aclCoversOperation(d, op) &&
      ((d.patternType === 'LITERAL' && d.resourceName === WILDCARD_RESOURCE) ||
        (d.patternType === 'PREFIXED' && prefix.startsWith(d.resourceName))),
  );
}

/** The MNPI topics to protect: the model's, plus live topics whose names are MNPI-shaped (fail closed). */
/** The model's MNPI topics among the desired ones. */
export function desiredMnpiTopics(topics: readonly { name: string; zone: string }[]): string[] {
  return topics.filter((t) => t.zone === 'mnpi').map((t) => t.name);
}

export function mnpiTopicsOf(
  desiredMnpi: readonly string[],
  liveTopics: readonly string[],
  pattern: TopicNamePattern,
): string[] {
  return [...new Set([...desiredMnpi, ...liveTopics.filter((t) => nameMatches(pattern, t))])].sort();
}

export { aclMatchesTopic };
