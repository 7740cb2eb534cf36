import type { EnvName, PlatformModel, ZoneName } from '../schema';
import { principalsIn } from './tables';

/** Who may assume one human role, as IAM can match it. */
export interface RoleAssumption {
  /**
   * ARN patterns (ArnLike) of the roles IAM Identity Center provisions for the permission sets:
   * `role/aws-reserved/sso.amazonaws.com/[<region>/]AWSReservedSSO_<set>_<16 hex>`.
   */
  readonly permissionSetRoleArns: readonly string[];
  /** IAM user ARNs, named in the trust policy itself. */
  readonly iamUsers: readonly string[];
}

export interface HumanRoleSpec {
  readonly principal: string;
  readonly description: string;
  readonly clearance: ZoneName;
  /** The IAM role name: `<project>-<env>-<principal>`, so CloudTrail and the IdP name it plainly. */
  readonly roleName: string;
  /** Sessions must prove MFA: when the model asks for it on queries, and always for key and audit duties. */
  readonly mfa: boolean;
  readonly administersKeys: boolean;
  readonly readsAuditTrail: boolean;
  readonly assumedBy: RoleAssumption;
}

export interface HumanAccess {
  readonly mfaMaxAgeSeconds: number;
  readonly mfaTag: string;
  readonly identityTag: string;
  readonly roles: readonly HumanRoleSpec[];
}

/** Length of the hash IAM Identity Center appends to a permission set's role name. */
const SSO_ROLE_HASH = '?'.repeat(16);

export function permissionSetRoleArns(account: string, permissionSet: string): string[] {
  const name = `AWSReservedSSO_${permissionSet}_${SSO_ROLE_HASH}`;
  return [
    `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/${name}`,
    `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/*/${name}`,
  ];
}

/**
 * Every human role of a cloud environment and exactly who may assume it. Throws when the environment
 * has no access section or a human principal has no entry (the model validation reports both first).
 */
export function deriveHumanAccess(model: PlatformModel, env: Exclude<EnvName, 'local'>): HumanAccess {
  const spec = model.environments[env];
  if (!spec.access || !spec.account)
    throw new Error(`platform model: environments.${env}.access and .account are required for human roles`);
  const { access, account } = spec;
  const roles = principalsIn(model, env)
    .filter((p) => p.kind === 'human')
    .map((p): HumanRoleSpec => {
      const assumers = access.roles[p.name];
      if (!assumers)
        throw new Error(`platform model: environments.${env}.access.roles has no entry for ${p.name}`);
      const duty = Boolean(p.administersKeys || p.readsAuditTrail);
      return {
        principal: p.name,
        description: p.description,
        clearance: p.clearance,
        roleName: `${model.project}-${env}-${p.name}`,
        mfa: duty || (p.lake?.query?.mfa ?? true),
        administersKeys: p.administersKeys ?? false,
        readsAuditTrail: p.readsAuditTrail ?? false,
        assumedBy: {
          permissionSetRoleArns: assumers.permissionSets.flatMap((s) => permissionSetRoleArns(account, s)),
          iamUsers: [...assumers.iamUsers],
        },
      };
    });
  return {
    mfaMaxAgeSeconds: access.mfaMaxAgeSeconds,
    mfaTag: access.identityProvider.mfaTag,
    identityTag: access.identityProvider.identityTag,
    roles,
  };
}

/** The one role that administers keys (the model validation guarantees exactly one). */
export function keyAdministrator(access: HumanAccess): HumanRoleSpec {
  const found = access.roles.filter((r) => r.administersKeys);
  if (found.length !== 1)
    throw new Error(`platform model: expected one key administrator, found ${found.length}`);
  return found[0]!;
}
