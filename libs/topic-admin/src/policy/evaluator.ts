import type { AclBinding, AclOperation, AclResourceType } from '@lakewall/platform-model';

/**
 * Kafka's authorization semantics, as implemented by the KRaft StandardAuthorizer (and the older
 * AclAuthorizer), for every resource type:
 *
 * - an ACL matches a resource of its own type when it is LITERAL with the same name, LITERAL with
 *   the wildcard `*`, or PREFIXED with a prefix of the name;
 * - it matches a principal when it names that principal or the wildcard principal `User:*`;
 * - it matches a client host when its host is `*` or that exact host;
 * - an ALLOW of ALL grants every operation; ALLOW of READ, WRITE, DELETE or ALTER also grants
 *   DESCRIBE; ALLOW of ALTER_CONFIGS also grants DESCRIBE_CONFIGS;
 * - a DENY applies only to its own operation (or to every operation when it is ALL): DENY READ does
 *   not deny DESCRIBE;
 * - any matching DENY wins over any matching ALLOW; with no matching ALLOW the request is denied
 *   (unless allow.everyone.if.no.acl.found=true and no ACL at all matches the resource).
 */

export const WILDCARD_PRINCIPAL = 'User:*';
export const WILDCARD_RESOURCE = '*';
export const WILDCARD_HOST = '*';
/** Stands for "any host not named in some ACL" when the evaluator explores hosts. */
export const OTHER_HOST = '<any other host>';

const IMPLIES_DESCRIBE: ReadonlySet<AclOperation> = new Set(['DESCRIBE', 'READ', 'WRITE', 'DELETE', 'ALTER']);
const IMPLIES_DESCRIBE_CONFIGS: ReadonlySet<AclOperation> = new Set(['DESCRIBE_CONFIGS', 'ALTER_CONFIGS']);

/** A resource an access question is asked about. */
export interface ResourceRef {
  readonly type: AclResourceType;
  readonly name: string;
}

export function aclMatchesResource(acl: AclBinding, resource: ResourceRef): boolean {
  if (acl.resourceType !== resource.type) return false;
  if (acl.patternType === 'LITERAL')
    return acl.resourceName === resource.name || acl.resourceName === WILDCARD_RESOURCE;
  if (acl.patternType === 'PREFIXED') return resource.name.startsWith(acl.resourceName);
  return false;
}

export function aclMatchesTopic(acl: AclBinding, topic: string): boolean {
  return aclMatchesResource(acl, { type: 'TOPIC', name: topic });
}

export function aclMatchesPrincipal(acl: AclBinding, principal: string): boolean {
  return acl.principal === principal || acl.principal === WILDCARD_PRINCIPAL;
}

export function aclMatchesHost(acl: AclBinding, host: string): boolean {
  return acl.host === WILDCARD_HOST || acl.host === host;
}

/** Whether this ACL, once its resource, principal and host match, decides `operation`. */
export function aclCoversOperation(acl: AclBinding, operation: AclOperation): boolean {
  if (acl.operation === 'ALL') return true;
  if (acl.permission === 'DENY') return acl.operation === operation;
  if (operation === 'DESCRIBE') return IMPLIES_DESCRIBE.has(acl.operation);
  if (operation === 'DESCRIBE_CONFIGS') return IMPLIES_DESCRIBE_CONFIGS.has(acl.operation);
  return acl.operation === operation;
}

export interface AccessQuery {
  readonly principal: string;
  readonly resource: ResourceRef;
  readonly operation: AclOperation;
  /** Evaluate for one client host; when omitted, access from ANY host counts. */
  readonly host?: string;
  readonly allowEveryoneIfNoAclFound?: boolean;
}

export interface AccessDecision {
  readonly allowed: boolean;
  /** The host the decision was reached for (the first host that is allowed, when any is). */
  readonly host: string;
  /** The ALLOW bindings that grant the access from that host. */
  readonly allowedBy: readonly AclBinding[];
  /** The DENY bindings that cancel it from that host. */
  readonly deniedBy: readonly AclBinding[];
  /** True when access comes from allow.everyone.if.no.acl.found. */
  readonly noAclFound?: boolean;
}

function decideForHost(acls: readonly AclBinding[], q: AccessQuery, host: string): AccessDecision {
  const onResource = acls.filter((a) => aclMatchesResource(a, q.resource));
  const relevant = onResource.filter(
    (a) =>
      aclMatchesPrincipal(a, q.principal) && aclMatchesHost(a, host) && aclCoversOperation(a, q.operation),
  );
  const deniedBy = relevant.filter((a) => a.permission === 'DENY');
  const allowedBy = relevant.filter((a) => a.permission === 'ALLOW');
  if (deniedBy.length > 0) return { allowed: false, host, allowedBy, deniedBy };
  if (allowedBy.length > 0) return { allowed: true, host, allowedBy, deniedBy };
  if (onResource.length === 0 && q.allowEveryoneIfNoAclFound) {
    return { allowed: true, host, allowedBy: [], deniedBy: [], noAclFound: true };
  }
  return { allowed: false, host, allowedBy, deniedBy };
}

/**
 * The effective access of a principal on a resource. Without a host, every host that some ACL names
 * is tried, plus one host that none names, so that a host-specific DENY cannot hide a grant that
 * still works from elsewhere, and a host-specific ALLOW still counts as access.
 */
export function effectiveAccess(acls: readonly AclBinding[], q: AccessQuery): AccessDecision {
  if (q.host !== undefined) return decideForHost(acls, q, q.host);
  const hosts = [...new Set(acls.map((a) => a.host).filter((h) => h !== WILDCARD_HOST)), OTHER_HOST];
  let first: AccessDecision | undefined;
  for (const host of hosts) {
    const d = decideForHost(acls, q, host);
    if (d.allowed) return d;
    first ??= d;
  }
  return first as AccessDecision;
}

export function formatAcl(acl: AclBinding): string {
  return (
    `${acl.permission} ${acl.operation} on ${acl.resourceType} ${acl.patternType} "${acl.resourceName}" ` +
    `for ${acl.principal} from host ${acl.host}`
  );
}
