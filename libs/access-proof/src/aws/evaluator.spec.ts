import type { AwsPrincipal, PolicyDocument, RequestSpec } from '../types';
import { evaluateRequest } from './evaluator';

/**
 * The evaluator agrees with AWS's documented policy evaluation logic
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html) on a
 * small table of known cases.
 */
const ACCOUNT = '111111111111';
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/key-zone`;
const ROOT_DELEGATION = {
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: 'kms:*',
  Resource: '*',
};
const doc = (...Statement: unknown[]): PolicyDocument => ({ Version: '2012-10-17', Statement });

function principal(name: string, ...identity: PolicyDocument[]): AwsPrincipal {
  return {
    id: name,
    origin: 'template',
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    clearance: 'unknown',
    description: name,
    identityPolicies: identity.map((policy, i) => ({ name: `${name}-policy-${i}`, policy })),
    permissionBoundaries: [],
    unresolvedPolicies: [],
  };
}

interface Case {
  readonly name: string;
  readonly principal: AwsPrincipal;
  readonly step: RequestSpec;
  readonly mfa?: boolean;
  readonly expected: 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
  /** A fragment of the deciding statement's policy name. */
  readonly decidedBy?: string;
}

const s3Reader = principal(
  'reader',
  doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake/*' }),
);
const keyUser = principal('key-user', doc({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }));

const cases: Case[] = [
  {
    name: 'explicit deny in a resource policy wins over an identity allow',
    principal: s3Reader,
    step: {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::lake/a.json',
      resourcePolicyName: 'bucket policy',
      resourcePolicy: doc({
        Sid: 'DenyAll',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Resource: 'arn:aws:s3:::lake/*',
      }),
    },
    expected: 'ExplicitlyDenied',
    decidedBy: 'bucket policy',
  },
  {
    name: 'explicit deny in an identity policy wins over its own allow',
    principal: principal(
      'both',
      doc(
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
        { Effect: 'Deny', Action: 's3:GetObject', Resource: '*' },
      ),
    ),
    step: { action: 's3:GetObject', resource: 'arn:aws:s3:::lake/a.json' },
    expected: 'ExplicitlyDenied',
    decidedBy: 'both-policy-0',
  },
  {
    name: 'no allow anywhere is an implicit deny',
    principal: principal('nobody'),
    step: { action: 's3:GetObject', resource: 'arn:aws:s3:::lake/a.json' },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'same account: an identity allow is enough for S3 without a bucket policy',
    principal: s3Reader,
    step: { action: 's3:GetObject', resource: 'arn:aws:s3:::lake/a.json' },
    expected: 'Allowed',
  },
  {
    name: 'KMS: an identity allow is not enough when the key policy does not allow (no root delegation)',
    principal: keyUser,
    step: {
      action: 'kms:Decrypt',
      resource: KEY,
      resourcePolicyName: 'key policy',
      resourcePolicy: doc({
        Effect: 'Allow',
        Principal: { Service: 'logs.amazonaws.com' },
        Action: 'kms:*',
        Resource: '*',
      }),
    },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'KMS: with the root delegation in the key policy, the identity allow decides',
    principal: keyUser,
    step: {
      action: 'kms:Decrypt',
      resource: KEY,
      resourcePolicyName: 'key policy',
      resourcePolicy: doc(ROOT_DELEGATION),
    },
    expected: 'Allowed',
  },
  {
    name: 'KMS: an allow-list deny on aws:PrincipalArn stops a principal not on the list',
    principal: keyUser,
    step: {
      action: 'kms:Decrypt',
      resource: KEY,
      resourcePolicyName: 'key policy',
      resourcePolicy: doc(ROOT_DELEGATION, {
        Sid: 'DenyUnlisted',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': [`arn:aws:iam::${ACCOUNT}:role/listed`] } },
      }),
    },
    expected: 'ExplicitlyDenied',
    decidedBy: 'key policy',
  },
  {
    name: 'kms:ViaService: a grant limited to Secrets Manager does not allow a direct Decrypt',
    principal: principal('plain'),
    step: {
      action: 'kms:Decrypt',
      resource: KEY,
      resourcePolicyName: 'key policy',
      resourcePolicy: doc({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/plain` },
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
      }),
    },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'kms:ViaService: the same grant allows Decrypt through Secrets Manager',
    principal: principal('plain'),
    step: {
      action: 'kms:Decrypt',
      resource: KEY,
      resourcePolicyName: 'key policy',
      resourcePolicy: doc({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/plain` },
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
      }),
      context: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' },
    },
    expected: 'Allowed',
  },
  {
    name: 'BoolIfExists on MFA: a session without MFA is denied',
    principal: principal(
      'human',
      doc(
        { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
        {
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
        },
      ),
    ),
    step: { action: 's3:GetObject', resource: 'arn:aws:s3:::lake/a.json' },
    mfa: false,
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'BoolIfExists on MFA: a session with MFA is allowed',
    principal: principal(
      'human',
      doc(
        { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
        {
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
        },
      ),
    ),
    step: { action: 's3:GetObject', resource: 'arn:aws:s3:::lake/a.json' },
    mfa: true,
    expected: 'Allowed',
  },
];

describe('AWS policy evaluation agrees with the documented logic', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const result = await evaluateRequest({
      principal: c.principal,
      account: ACCOUNT,
      mfa: c.mfa ?? false,
      step: c.step,
    });
    expect(result.decision).toBe(c.expected);
    if (c.decidedBy) expect(result.deciding.map((d) => d.policy).join(' ')).toContain(c.decidedBy);
  });

  it('names the statements that allowed a request', async () => {
    const result = await evaluateRequest({
      principal: keyUser,
      account: ACCOUNT,
      mfa: false,
      step: {
        action: 'kms:Decrypt',
        resource: KEY,
        resourcePolicyName: 'key policy of Zone',
        resourcePolicy: doc(ROOT_DELEGATION),
      },
    });
    expect(result.deciding).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ effect: 'Allow', policy: 'key-user-policy-0' }),
        expect.objectContaining({
          effect: 'Allow',
          policy: 'key policy of Zone',
          statement: '#1 Allow kms:*',
        }),
      ]),
    );
  });
});
