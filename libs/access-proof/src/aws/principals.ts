import { principalsIn, type EnvName, type PlatformModel } from '@lakewall/platform-model';
import type { AwsPrincipal, Clearance, NamedPolicy, PolicyDocument } from '../types';
import { AWS_MANAGED_POLICIES, awsManagedPolicyName, UNKNOWN_POLICY_STANDIN } from './aws-managed-policies';
import { arnOf, type ResolvedEnvironment, type ResolvedResource } from './resolved-environment';

/** The tag that names a role's model principal; a Description starting "<principal>: " also does. */
export const PRINCIPAL_TAG = 'principal';

/** The two outsiders the report invents, so the wall is proven against the account itself. */
export const OUTSIDERS = {
  'account-admin': {
    description: 'an account administrator: * on * in its identity policy, no MFA required',
    policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  },
  'broad-data-user': {
    description: 'an ordinary account principal with broad data rights: s3:*, kms:*, glue:*, athena:* on *',
    policy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:*', 'kms:*', 'glue:*', 'athena:*'], Resource: '*' }],
    },
  },
} as const;

export type OutsiderId = keyof typeof OUTSIDERS;

export function isOutsider(id: string): id is OutsiderId {
  return id in OUTSIDERS;
}

/**
 * Every role the templates create, with the identity policies attached to it (inline, AWS::IAM::Policy,
 * customer managed and AWS managed) and its permission boundary, plus the two outsiders. A role's
 * clearance comes from the model principal it belongs to; a role that belongs to none is `unknown`,
 * which the verdict treats as not cleared.
 */
export function enumeratePrincipals(env: ResolvedEnvironment, model: PlatformModel): AwsPrincipal[] {
  const modelPrincipals = new Map(principalsIn(model, env.environment as EnvName).map((p) => [p.name, p]));
  const byType = (type: string) => env.resources.filter((r) => r.type === type);
  const managedByArn = new Map(byType('AWS::IAM::ManagedPolicy').map((m) => [m.ref, m]));
  const policies = [...byType('AWS::IAM::Policy'), ...byType('AWS::IAM::ManagedPolicy')];

  const roles = byType('AWS::IAM::Role').map((role): AwsPrincipal => {
    const roleName = role.ref;
    const identity: NamedPolicy[] = [];
    const unresolved: string[] = [];
    for (const inline of asArray(role.properties.Policies)) {
      const p = inline as { PolicyName: string; PolicyDocument: PolicyDocument };
      identity.push({ name: `${role.name} inline ${p.PolicyName}`, policy: p.PolicyDocument });
    }
    for (const p of policies) {
      if (asArray(p.properties.Roles).includes(roleName)) identity.push(policyOf(p));
    }
    const attach = (arn: string, into: NamedPolicy[]) => {
      const customer = managedByArn.get(arn);
      if (customer) {
        if (!into.some((n) => n.name === customer.name)) into.push(policyOf(customer));
        return;
      }
      const awsName = awsManagedPolicyName(arn);
      const known = awsName ? AWS_MANAGED_POLICIES.get(awsName) : undefined;
      if (known) {
        into.push({ name: `AWS managed ${awsName} (${known.version})`, policy: known.document });
      } else {
        // Fail closed: a policy nobody can read here may allow anything.
        unresolved.push(arn);
        into.push({ name: `${arn} (not known offline: assumed to allow *)`, policy: UNKNOWN_POLICY_STANDIN });
      }
    };
    for (const arn of asArray(role.properties.ManagedPolicyArns)) attach(String(arn), identity);
    const boundaries: NamedPolicy[] = [];
    if (role.properties.PermissionsBoundary) attach(String(role.properties.PermissionsBoundary), boundaries);

    const modelName = modelPrincipalOf(role, modelPrincipals);
    const clearance: Clearance = (modelName && modelPrincipals.get(modelName)?.clearance) || 'unknown';
    return {
      id: modelName ?? role.name,
      origin: 'template',
      arn: arnOf(role),
      clearance,
      description: String(role.properties.Description ?? `role ${role.name} (${trustSummary(role)})`),
      identityPolicies: identity,
      permissionBoundaries: boundaries,
      unresolvedPolicies: unresolved,
    };
  });
  disambiguate(roles);

  const outsiders = (Object.keys(OUTSIDERS) as OutsiderId[]).map((id): AwsPrincipal => ({
    id,
    origin: 'outsider',
    arn: `arn:aws:iam::${env.account}:role/lakewall-access-proof-${id}`,
    clearance: 'unknown',
    description: OUTSIDERS[id].description,
    identityPolicies: [{ name: `${id} identity policy`, policy: OUTSIDERS[id].policy }],
    permissionBoundaries: [],
    unresolvedPolicies: [],
  }));
  return [...roles, ...outsiders];
}

function policyOf(r: ResolvedResource): NamedPolicy {
  return { name: r.name, policy: r.properties.PolicyDocument as PolicyDocument };
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function modelPrincipalOf(role: ResolvedResource, known: ReadonlyMap<string, unknown>): string | undefined {
  const tagged = role.tags.get(PRINCIPAL_TAG);
  if (tagged !== undefined) return known.has(tagged) ? tagged : undefined;
  const described = /^([a-z0-9-]+):\s/.exec(String(role.properties.Description ?? ''))?.[1];
  return described && known.has(described) ? described : undefined;
}

function trustSummary(role: ResolvedResource): string {
  const doc = role.properties.AssumeRolePolicyDocument as { Statement?: unknown[] } | undefined;
  const who = asArray(doc?.Statement).flatMap((s) => {
    const p = (s as { Principal?: Record<string, unknown> }).Principal ?? {};
    return Object.values(p).flatMap((v) => asArray(v).map(String));
  });
  return `trusted by ${who.join(', ') || 'nobody'}`;
}

/** Two roles of one model principal keep distinct ids: the second and later get their role name. */
function disambiguate(roles: AwsPrincipal[]): void {
  const seen = new Map<string, number>();
  for (const r of roles) seen.set(r.id, (seen.get(r.id) ?? 0) + 1);
  for (const [i, r] of roles.entries()) {
    if ((seen.get(r.id) ?? 0) > 1) {
      const roleName = r.arn.split('/').pop() ?? r.arn;
      roles[i] = { ...r, id: `${r.id}/${roleName.replace(/^.*?-([A-Za-z0-9]+)$/, '$1')}` };
    }
  }
}
