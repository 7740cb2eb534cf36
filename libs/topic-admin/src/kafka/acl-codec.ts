import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type AclEntry,
  type AclFilter,
} from 'kafkajs';
import {
  ACL_OPERATIONS,
  ACL_RESOURCE_TYPES,
  type AclBinding,
  type AclOperation,
  type AclPatternType,
  type AclPermission,
  type AclResourceType,
} from '@lakewall/platform-model';

/**
 * kafkajs' ACL enums stop at DELEGATION_TOKEN and IDEMPOTENT_WRITE, and its admin client validates
 * createAcls/deleteAcls arguments against them. The USER resource (7) and the token operations
 * CREATE_TOKENS (13) and DESCRIBE_TOKENS (14) are how a principal impersonates another, so the
 * bootstrapper must be able to read and revoke them: add Kafka's own codes to kafkajs' enums
 * (the wire encoding is the same int8 for every value).
 */
const EXTRA_RESOURCE_TYPES = { USER: 7 } as const;
const EXTRA_OPERATIONS = { CREATE_TOKENS: 13, DESCRIBE_TOKENS: 14 } as const;
Object.assign(AclResourceTypes, EXTRA_RESOURCE_TYPES);
Object.assign(AclOperationTypes, EXTRA_OPERATIONS);

const RESOURCE_CODES = AclResourceTypes as unknown as Record<AclResourceType | 'ANY', number>;
const OPERATION_CODES = AclOperationTypes as unknown as Record<AclOperation | 'ANY', number>;
const PATTERN_CODES = ResourcePatternTypes as unknown as Record<AclPatternType | 'ANY', number>;
const PERMISSION_CODES = AclPermissionTypes as unknown as Record<AclPermission | 'ANY', number>;

function byCode<K extends string>(names: readonly K[], codes: Record<K, number>): Map<number, K> {
  return new Map(names.map((n) => [codes[n], n]));
}
const RESOURCE_NAME = byCode(ACL_RESOURCE_TYPES, RESOURCE_CODES);
const OPERATION_NAME = byCode(ACL_OPERATIONS, OPERATION_CODES);
const PATTERN_NAME = byCode(['LITERAL', 'PREFIXED'] as const, PATTERN_CODES);
const PERMISSION_NAME = byCode(['ALLOW', 'DENY'] as const, PERMISSION_CODES);

export function toAclEntry(acl: AclBinding): AclEntry {
  return {
    principal: acl.principal,
    host: acl.host,
    resourceType: RESOURCE_CODES[acl.resourceType],
    resourceName: acl.resourceName,
    resourcePatternType: PATTERN_CODES[acl.patternType],
    operation: OPERATION_CODES[acl.operation],
    permissionType: PERMISSION_CODES[acl.permission],
  };
}

/** An exact-match delete filter (LITERAL/PREFIXED filters match only that pattern type). */
export function toAclFilter(acl: AclBinding): AclFilter {
  return toAclEntry(acl);
}

/** A filter that matches every ACL on the cluster. */
export const ANY_ACL_FILTER: AclFilter = {
  resourceType: AclResourceTypes.ANY,
  resourcePatternType: ResourcePatternTypes.ANY,
  operation: AclOperationTypes.ANY,
  permissionType: AclPermissionTypes.ANY,
};

export interface RawAclResource {
  readonly resourceType: number;
  readonly resourceName: string;
  readonly resourcePatternType: number;
  readonly acls: readonly { principal: string; host: string; operation: number; permissionType: number }[];
}

/**
 * Decodes describeAcls resources into bindings. A code this library does not know is reported,
 * never skipped: an ACL the policy cannot see could be a leak.
 */
export function fromAclResources(resources: readonly RawAclResource[]): AclBinding[] {
  const out: AclBinding[] = [];
  for (const r of resources) {
    const resourceType = RESOURCE_NAME.get(r.resourceType);
    const patternType = PATTERN_NAME.get(r.resourcePatternType);
    for (const a of r.acls) {
      const operation = OPERATION_NAME.get(a.operation);
      const permission = PERMISSION_NAME.get(a.permissionType);
      if (!resourceType || !patternType || !operation || !permission) {
        throw new Error(
          `the cluster holds an ACL this tool cannot decode (resource type ${r.resourceType}, pattern ${r.resourcePatternType}, ` +
            `operation ${a.operation}, permission ${a.permissionType}) for ${a.principal} on "${r.resourceName}"; ` +
            `refusing to evaluate the MNPI policy without it`,
        );
      }
      out.push({
        principal: a.principal,
        host: a.host,
        resourceType,
        resourceName: r.resourceName,
        patternType,
        operation,
        permission,
      });
    }
  }
  return out;
}
