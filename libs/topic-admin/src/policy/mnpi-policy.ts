import {
  CLUSTER_RESOURCE,
  deriveAcls,
  kafkaPrincipal,
  type AclBinding,
  type AclOperation,
  type AclResourceType,
  type EnvName,
  type PlatformModel,
} from '@lakewall/platform-model';
import {
  aclCoversOperation,
  effectiveAccess,
  formatAcl,
  WILDCARD_HOST,
  WILDCARD_PRINCIPAL,
  WILDCARD_RESOURCE,
  type ResourceRef,
} from './evaluator';
import {
  exampleName,
  nameMatches,
  prefixCanMatch,
  topicNamePattern,
  type TopicNamePattern,
} from './topic-pattern';

/**
 * What a principal not cleared for MNPI must never be able to do, by violation kind:
 * - read: see an MNPI topic's data or metadata;
 * - integrity: change an MNPI topic (write, delete, alter it or its configs) or a cleared
 *   consumer's group or transactional id (READ on a group is enough to commit its offsets, i.e.
 *   make an MNPI sink skip data);
 * - escalation: grant itself anything (ALTER on CLUSTER is CreateAcls/DeleteAcls, ALTER_CONFIGS on
 *   CLUSTER changes broker configs) or act as a cleared principal (CREATE_TOKENS on its USER);
 * - prefix-capture: a prefixed or wildcard topic grant that would cover an MNPI topic the model
 *   could create later.
 */
export type ViolationKind = 'read' | 'integrity' | 'escalation' | 'prefix-capture';

export const READ_OPERATIONS: readonly AclOperation[] = ['READ', 'DESCRIBE'];
export const INTEGRITY_OPERATIONS: readonly AclOperation[] = ['WRITE', 'DELETE', 'ALTER', 'ALTER_CONFIGS'];
export const CLUSTER_ESCALATION_OPERATIONS: readonly AclOperation[] = ['ALTER', 'ALTER_CONFIGS'];

export type SubjectClearance = 'public' | 'unknown' | 'everyone';

/** A resource a cleared principal depends on, protected against others' writes. */
export interface ProtectedResource {
  readonly type: Extract<AclResourceType, 'GROUP' | 'TRANSACTIONAL_ID'>;
  readonly name: string;
  readonly patternType: 'LITERAL' | 'PREFIXED';
  /** The cleared principal that owns it (for messages). */
  readonly owner: string;
}

export interface PolicyContext {
  /** "User:<name>" -> clearance, for every principal the model knows. */
  readonly clearances: ReadonlyMap<string, 'mnpi' | 'public'>;
  /** "User:<name>" of the brokers' super users: cleared by definition, and never impersonable. */
  readonly superUsers: readonly string[];
  /** MNPI topics that exist or will exist now. */
  readonly mnpiTopics: readonly string[];
  /** Every name an MNPI topic could ever have (for prefix capture). */
  readonly mnpiPattern?: TopicNamePattern;
  /** Groups and transactional ids of cleared principals (from the model's own ACLs). */
  readonly protectedResources: readonly ProtectedResource[];
  readonly allowEveryoneIfNoAclFound?: boolean;
}

export interface PolicyViolation {
  readonly kind: ViolationKind;
  readonly principal: string;
  readonly clearance: SubjectClearance;
  /** The resource reached; for prefix capture, an example future MNPI topic name. */
  readonly resource: ResourceRef;
  readonly operations: readonly AclOperation[];
  /** The ACLs that grant the access (revoking all of them closes this violation). */
  readonly grantedBy: readonly AclBinding[];
  readonly message: string;
}

/** Structural identity of a violation (never its message text). */
export function violationKey(v: PolicyViolation): string {
  return [v.kind, v.principal, v.resource.type, v.resource.name].join('|');
}

export function dedupeViolations(violations: readonly PolicyViolation[]): PolicyViolation[] {
  const out = new Map<string, PolicyViolation>();
  for (const v of violations) if (!out.has(violationKey(v))) out.set(violationKey(v), v);
  return [...out.values()];
}

/**
 * Resources that cleared principals hold grants on and that others must not write: every GROUP or
 * TRANSACTIONAL_ID the model grants to a principal cleared for MNPI.
 */
export function protectedResourcesOf(
  acls: readonly AclBinding[],
  clearances: ReadonlyMap<string, 'mnpi' | 'public'>,
): ProtectedResource[] {
  const out = new Map<string, ProtectedResource>();
  for (const a of acls) {
    if (a.permission !== 'ALLOW' || clearances.get(a.principal) !== 'mnpi') continue;
    if (a.resourceType !== 'GROUP' && a.resourceType !== 'TRANSACTIONAL_ID') continue;
    if (a.resourceName === WILDCARD_RESOURCE) continue; // describe-everything grants protect nothing
    if (a.resourceType === 'GROUP' && !['READ', 'ALL'].includes(a.operation)) continue;
    if (a.resourceType === 'TRANSACTIONAL_ID' && !['WRITE', 'ALL'].includes(a.operation)) continue;
    const r: ProtectedResource = {
      type: a.resourceType,
      name: a.resourceName,
      patternType: a.patternType,
      owner: a.principal,
    };
    out.set(`${r.type}|${r.patternType}|${r.name}`, r);
  }
  return [...out.values()];
}

/**
 * The policy context for an environment: clearances of every principal the model declares (in any
 * environment), the super users, and the resources the model's cleared principals depend on.
 */
export function policyContextFor(
  model: PlatformModel,
  mnpiTopics: readonly string[],
  env: EnvName = 'local',
): PolicyContext {
  const clearances = new Map<string, 'mnpi' | 'public'>();
  for (const [name, p] of Object.entries(model.principals)) clearances.set(kafkaPrincipal(name), p.clearance);
  return {
    clearances,
    superUsers: model.kafka.superUsers.map(kafkaPrincipal),
    mnpiTopics,
    mnpiPattern: topicNamePattern(model.kafka.topicNaming, 'mnpi'),
    protectedResources: protectedResourcesOf(deriveAcls(model, env), clearances),
  };
}

function clearanceOf(ctx: PolicyContext, principal: string): SubjectClearance | 'mnpi' {
  if (principal === WILDCARD_PRINCIPAL) return 'everyone';
  if (ctx.superUsers.includes(principal)) return 'mnpi';
  return ctx.clearances.get(principal) ?? 'unknown';
}

export function describeSubject(principal: string, clearance: SubjectClearance): string {
  if (clearance === 'everyone') return `${principal} (every principal, including ones not cleared for MNPI)`;
  if (clearance === 'unknown') return `${principal} (not in the platform model, so not cleared for MNPI)`;
  return `${principal} (clearance: public)`;
}

interface Subject {
  readonly principal: string;
  readonly clearance: SubjectClearance;
  /** Only this principal's and User:* ACLs can decide its access. */
  readonly acls: readonly AclBinding[];
}

function grants(
  ctx: PolicyContext,
  s: Subject,
  resource: ResourceRef,
  operations: readonly AclOperation[],
): { operations: AclOperation[]; grantedBy: AclBinding[] } {
  const granted: AclOperation[] = [];
  const by = new Map<string, AclBinding>();
  for (const operation of operations) {
    const d = effectiveAccess(s.acls, {
      principal: s.principal,
      resource,
      operation,
      allowEveryoneIfNoAclFound: ctx.allowEveryoneIfNoAclFound,
    });
    if (!d.allowed) continue;
    granted.push(operation);
    for (const a of d.allowedBy) by.set(formatAcl(a), a);
  }
  return { operations: granted, grantedBy: [...by.values()] };
}

function violation(
  kind: ViolationKind,
  s: Subject,
  resource: ResourceRef,
  g: { operations: AclOperation[]; grantedBy: AclBinding[] },
  what: string,
): PolicyViolation {
  const via = g.grantedBy.length
    ? g.grantedBy.map(formatAcl).join('; ')
    : 'no ACL at all on the resource while allow.everyone.if.no.acl.found=true';
  return {
    kind,
    principal: s.principal,
    clearance: s.clearance,
    resource,
    operations: g.operations,
    grantedBy: g.grantedBy,
    message: `${describeSubject(s.principal, s.clearance)} ${what} (${g.operations.join(', ')}) via ${via}`,
  };
}

/**
 * Every way an ACL set lets a principal not cleared for MNPI (a public one, one the model does not
 * know, or User:*) reach MNPI, directly or by escalation. See ViolationKind.
 */
export function checkMnpiPolicy(acls: readonly AclBinding[], ctx: PolicyContext): PolicyViolation[] {
  const subjects = new Set<string>([WILDCARD_PRINCIPAL]);
  for (const a of acls) subjects.add(a.principal);
  for (const [p, c] of ctx.clearances) if (c !== 'mnpi') subjects.add(p);
  const topics = [...new Set(ctx.mnpiTopics)].sort();
  const cleared = [
    ...new Set([...ctx.superUsers, ...[...ctx.clearances].filter(([, c]) => c === 'mnpi').map(([p]) => p)]),
  ].sort();

  const violations: PolicyViolation[] = [];
  for (const principal of [...subjects].sort()) {
    const clearance = clearanceOf(ctx, principal);
    if (clearance === 'mnpi') continue;
    const s: Subject = {
      principal,
      clearance,
      acls: ctx.allowEveryoneIfNoAclFound
        ? acls
        : acls.filter((a) => a.principal === principal || a.principal === WILDCARD_PRINCIPAL),
    };
    if (s.acls.length === 0 && !ctx.allowEveryoneIfNoAclFound) continue;

    for (const topic of topics) {
      const resource: ResourceRef = { type: 'TOPIC', name: topic };
      const r = grants(ctx, s, resource, READ_OPERATIONS);
      if (r.operations.length)
        violations.push(violation('read', s, resource, r, `can read MNPI topic ${topic}`));
      const w = grants(ctx, s, resource, INTEGRITY_OPERATIONS);
      if (w.operations.length)
        violations.push(violation('integrity', s, resource, w, `can change MNPI topic ${topic}`));
    }

    const cluster: ResourceRef = { type: 'CLUSTER', name: CLUSTER_RESOURCE };
    const c = grants(ctx, s, cluster, CLUSTER_ESCALATION_OPERATIONS);
    if (c.operations.length)
      violations.push(
        violation(
          'escalation',
          s,
          cluster,
          c,
          'can grant itself access or change broker configs on the cluster',
        ),
      );

    for (const user of cleared) {
      const resource: ResourceRef = { type: 'USER', name: user };
      const t = grants(ctx, s, resource, ['CREATE_TOKENS']);
      if (t.operations.length)
        violations.push(
          violation('escalation', s, resource, t, `can create delegation tokens for ${user} and act as it`),
        );
    }

    for (const p of ctx.protectedResources) violations.push(...protectedResourceViolations(ctx, s, p));

    if (ctx.mnpiPattern) violations.push(...prefixCapture(s, ctx.mnpiPattern));
  }
  return dedupeViolations(violations);
}

function protectedResourceViolations(
  ctx: PolicyContext,
  s: Subject,
  p: ProtectedResource,
): PolicyViolation[] {
  const operation: AclOperation = p.type === 'GROUP' ? 'READ' : 'WRITE';
  const what =
    p.type === 'GROUP'
      ? `can commit offsets for ${p.owner}'s consumer group ${p.name} and make it skip data`
      : `can fence or hijack ${p.owner}'s transactional id ${p.name}`;
  if (p.patternType === 'LITERAL') {
    const resource: ResourceRef = { type: p.type, name: p.name };
    const g = grants(ctx, s, resource, [operation]);
    return g.operations.length ? [violation('integrity', s, resource, g, what)] : [];
  }
  // A prefixed protected resource (e.g. a sink's per-task control groups): any grant that can
  // match a name under the prefix counts.
  const overlapping = s.acls.filter(
    (a) =>
      a.permission === 'ALLOW' &&
      a.resourceType === p.type &&
      aclCoversOperation(a, operation) &&
      (a.resourceName === WILDCARD_RESOURCE && a.patternType === 'LITERAL'
        ? true
        : a.patternType === 'PREFIXED'
          ? a.resourceName.startsWith(p.name) || p.name.startsWith(a.resourceName)
          : a.resourceName.startsWith(p.name)),
  );
  const live = overlapping.filter(
    (a) =>
      !s.acls.some(
        (d) =>
          d.permission === 'DENY' &&
          d.resourceType === p.type &&
          aclCoversOperation(d, operation) &&
          (d.host === WILDCARD_HOST || d.host === a.host) &&
          ((d.patternType === 'LITERAL' && d.resourceName === WILDCARD_RESOURCE) ||
            (d.patternType === 'PREFIXED' &&
              a.resourceName.startsWith(d.resourceName) &&
              a.resourceName !== WILDCARD_RESOURCE)),
      ),
  );
  if (live.length === 0) return [];
  const resource: ResourceRef = { type: p.type, name: `${p.name}*` };
  return [violation('integrity', s, resource, { operations: [operation], grantedBy: live }, what)];
}

function prefixCapture(s: Subject, pattern: TopicNamePattern): PolicyViolation[] {
  const operations = [...READ_OPERATIONS, ...INTEGRITY_OPERATIONS];
  const out: PolicyViolation[] = [];
  const broad = s.acls.filter(
    (a) =>
      a.resourceType === 'TOPIC' &&
      a.permission === 'ALLOW' &&
      a.principal === s.principal &&
      (a.patternType === 'PREFIXED' || (a.patternType === 'LITERAL' && a.resourceName === WILDCARD_RESOURCE)),
  );
  for (const allow of broad) {
    const prefix = allow.patternType === 'PREFIXED' ? allow.resourceName : '';
    if (!prefixCanMatch(pattern, prefix)) continue;
    const uncancelled = operations.filter(
      (op) => aclCoversOperation(allow, op) && !coveredByDeny(s.acls, allow, prefix, op),
    );
    if (uncancelled.length === 0) continue;
    const example = exampleName(pattern, prefix) ?? pattern.description;
    out.push({
      kind: 'prefix-capture',
      principal: s.principal,
      clearance: s.clearance,
      resource: { type: 'TOPIC', name: example },
      operations: uncancelled,
      grantedBy: [allow],
      message:
        `${describeSubject(s.principal, s.clearance)} would get ${uncancelled.join(', ')} on every future MNPI topic ` +
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
      d.resourceType === 'TOPIC' &&
      d.permission === 'DENY' &&
      (d.principal === allow.principal || d.principal === WILDCARD_PRINCIPAL) &&
      (d.host === WILDCARD_HOST || d.host === allow.host) &&
      aclCoversOperation(d, op) &&
      ((d.patternType === 'LITERAL' && d.resourceName === WILDCARD_RESOURCE) ||
        (d.patternType === 'PREFIXED' && prefix.startsWith(d.resourceName))),
  );
}

/** The model's MNPI topics among the desired ones. */
export function desiredMnpiTopics(topics: readonly { name: string; zone: string }[]): string[] {
  return topics.filter((t) => t.zone === 'mnpi').map((t) => t.name);
}

/** The MNPI topics to protect: the model's, plus live topics whose names are MNPI-shaped (fail closed). */
export function mnpiTopicsOf(
  desiredMnpi: readonly string[],
  liveTopics: readonly string[],
  pattern: TopicNamePattern,
): string[] {
  return [...new Set([...desiredMnpi, ...liveTopics.filter((t) => nameMatches(pattern, t))])].sort();
}
