import { z } from 'zod';

/**
 * Who may assume the AWS roles of human principals, per cloud environment. Kept beside schema.ts so
 * the rules about people stay in one file; schema.ts only plugs them in.
 */

/** An IAM Identity Center permission set name (its provisioned role is AWSReservedSSO_<name>_<hash>). */
const permissionSetName = z
  .string()
  .regex(/^[A-Za-z0-9+=,.@_-]{1,32}$/, 'is not an IAM Identity Center permission set name');

/** An IAM user ARN: the only kind of long-term identity allowed to assume a human role directly. */
const iamUserArn = z
  .string()
  .regex(
    /^arn:aws:iam::\d{12}:user\/[A-Za-z0-9+=,.@_/-]+$/,
    'must be an IAM user ARN (arn:aws:iam::<account>:user/<name>)',
  );

const sessionTagKey = z.string().regex(/^[A-Za-z0-9_.:/=+@-]{1,128}$/, 'is not a legal IAM session tag key');

/** The people who may assume one human role: by permission set, or by named IAM user. */
export const RoleAssumers = z.strictObject({
  /** Users signed in through the identity provider with one of these permission sets. */
  permissionSets: z.array(permissionSetName).default([]),
  /** Named IAM users (break-glass); IAM checks their MFA itself. */
  iamUsers: z.array(iamUserArn).default([]),
});

export const EnvironmentAccess = z.strictObject({
  /**
   * Longest time since MFA sign-in an IAM user may assume a human role, in seconds. Federated
   * sessions carry no MFA age: the identity provider's session length bounds it (see the README).
   */
  mfaMaxAgeSeconds: z.number().int().min(300).max(43_200),
  /**
   * Session tags the identity provider sets on federated sessions: `mfaTag` is "true" only after an
   * MFA sign-in (AWS does not set aws:MultiFactorAuthPresent for federated sessions), `identityTag`
   * names the person and becomes the session's sts:SourceIdentity.
   */
  identityProvider: z.strictObject({ mfaTag: sessionTagKey, identityTag: sessionTagKey }),
  /** Per human principal: who may assume its role in this environment. */
  roles: z.record(z.string(), RoleAssumers),
});

export type RoleAssumersSpec = z.infer<typeof RoleAssumers>;
export type EnvironmentAccessSpec = z.infer<typeof EnvironmentAccess>;
