/** Cryptographic use of a key: only a key's allow-list may call these. */
export const KEY_USE_ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey*',
  'kms:ReEncrypt*',
  'kms:CreateGrant',
] as const;

/**
 * Administration of a key: whoever may call these can rewrite the allow-list or destroy the data, so
 * only the key administrator (and the deployment role that applies reviewed changes) may.
 */
export const KEY_ADMIN_ACTIONS = [
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:DisableKey',
  'kms:EnableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:UpdateKeyDescription',
  'kms:UpdatePrimaryRegion',
  'kms:ReplicateKey',
  'kms:TagResource',
  'kms:UntagResource',
  // Not RetireGrant: services retire the grants they were given when they are done with a key.
  'kms:RevokeGrant',
] as const;

/** Read-only key metadata the administrator needs to do the job. */
export const KEY_READ_ACTIONS = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListGrants',
  'kms:ListResourceTags',
  'kms:ListKeyPolicies',
] as const;
