import {
  getDenialReasons,
  getGrantReasons,
  runSimulation,
  type RequestAnalysis,
  type RunSimulationResults,
} from '@cloud-copilot/iam-simulate';
import type {
  AwsPrincipal,
  DecidingStatement,
  NamedPolicy,
  PolicyDocument,
  RequestSpec,
  StepResult,
} from '../types';

/**
 * One request evaluated with AWS's policy evaluation logic by @cloud-copilot/iam-simulate: identity
 * policies, the resource policy (bucket, key, secret, trust), permission boundaries; explicit deny
 * wins; KMS needs its key policy to allow.
 *
 * The simulator does not derive global condition keys from the caller, so every request carries the
 * ones the lake's policies test: aws:PrincipalArn, aws:PrincipalAccount, aws:MultiFactorAuthPresent
 * (both ways: each principal is evaluated with and without MFA), aws:SecureTransport (true: the
 * question is who may read, not whether plain HTTP is refused), and per step kms:ViaService and
 * kms:CallerAccount when the key is used through S3, Secrets Manager or RDS.
 */
export interface EvaluationRequest {
  readonly principal: AwsPrincipal;
  readonly account: string;
  readonly mfa: boolean;
  readonly step: RequestSpec;
}

export class EvaluationError extends Error {
  override name = 'EvaluationError';
}

export function requestContext(req: EvaluationRequest): Record<string, string> {
  return {
    'aws:PrincipalArn': req.principal.arn,
    'aws:PrincipalAccount': req.account,
    'aws:MultiFactorAuthPresent': String(req.mfa),
    // A person's session always names the person (the human roles' trust requires
    // sts:SourceIdentity), and MFA, when present, is fresh: the question is what a properly
    // signed-in session may reach, not whether the session guard refuses a malformed one.
    'aws:SourceIdentity': 'person@lakewall',
    ...(req.mfa ? { 'aws:MultiFactorAuthAge': '60' } : {}),
    'aws:SecureTransport': 'true',
    ...req.step.context,
  };
}

/** Evaluates one request; memoised, because many checks share steps (the zone key's Decrypt). */
export class AwsEvaluator {
  private readonly cache = new Map<string, Promise<StepResult>>();

  evaluate(req: EvaluationRequest): Promise<StepResult> {
    const key = [
      req.principal.id,
      req.principal.arn,
      req.mfa,
      req.step.action,
      req.step.resource,
      req.step.resourcePolicyName ?? '',
      JSON.stringify(req.step.context ?? {}),
    ].join('|');
    let hit = this.cache.get(key);
    if (!hit) {
      hit = evaluateRequest(req);
      this.cache.set(key, hit);
    }
    return hit;
  }
}

export async function evaluateRequest(req: EvaluationRequest): Promise<StepResult> {
  const { principal, step } = req;
  const result = await runSimulation(
    {
      request: {
        principal: principal.arn,
        action: step.action,
        resource: { resource: step.resource, accountId: req.account },
        contextVariables: requestContext(req),
      },
      identityPolicies: principal.identityPolicies.map((p) => ({
        name: p.name,
        policy: normalise(p.policy),
      })),
      permissionBoundaryPolicies: principal.permissionBoundaries.length
        ? principal.permissionBoundaries.map((p) => ({ name: p.name, policy: normalise(p.policy) }))
        : undefined,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: step.resourcePolicy ? normalise(step.resourcePolicy) : undefined,
    },
    {},
  );
  const analysis = analysisOf(result, req);
  if (!analysis) {
    // A wildcard resource ("any object of the bucket") that no policy names at all.
    return {
      action: step.action,
      resource: step.resource,
      decision: 'ImplicitlyDenied',
      deciding: [
        {
          effect: 'ImplicitDeny',
          policyType: 'identity',
          policy: `no policy names any resource matching ${step.resource}`,
        },
      ],
    };
  }
  return {
    action: step.action,
    resource: step.resource,
    decision: analysis.result,
    deciding: deciding(analysis, principal.identityPolicies, principal.permissionBoundaries, step),
  };
}

function analysisOf(result: RunSimulationResults, req: EvaluationRequest): RequestAnalysis | undefined {
  if (result.resultType === 'error') {
    throw new EvaluationError(
      `${req.principal.id} ${req.step.action} on ${req.step.resource}: the evaluator rejected the input: ${result.errors.message} ${JSON.stringify(result.errors)}`,
    );
  }
  if (result.resultType === 'single') return result.result.analysis;
  // A wildcard resource yields one analysis per pattern; the most permissive is the answer.
  const order = ['Allowed', 'ImplicitlyDenied', 'ExplicitlyDenied'];
  const sorted = [...result.results].sort(
    (a, b) => order.indexOf(a.analysis.result) - order.indexOf(b.analysis.result),
  );
  return sorted[0]?.analysis;
}

/** CloudFormation lets Statement be one object; the simulator wants the JSON IAM accepts, which is the same. */
function normalise(policy: PolicyDocument): PolicyDocument {
  return { Version: policy.Version ?? '2012-10-17', Statement: policy.Statement };
}

function statementLabel(policy: PolicyDocument | undefined, index: number, sid: string | undefined): string {
  if (sid) return sid;
  const raw = policy?.Statement;
  const statements: unknown[] = Array.isArray(raw) ? raw : [raw];
  const s = statements[index - 1] as { Effect?: string; Action?: unknown; NotAction?: unknown } | undefined;
  const actions = [s?.Action ?? s?.NotAction].flat().filter(Boolean).map(String);
  const shown = actions.length > 3 ? `${actions.slice(0, 3).join(',')},…` : actions.join(',');
  return `#${index} ${s?.Effect ?? ''} ${shown}`.trim();
}

function deciding(
  analysis: RequestAnalysis,
  identity: readonly NamedPolicy[],
  boundaries: readonly NamedPolicy[],
  step: RequestSpec,
): DecidingStatement[] {
  const named = (type: string, id: string | undefined): { name: string; doc?: PolicyDocument } => {
    if (type === 'resource')
      return { name: step.resourcePolicyName ?? 'resource policy', doc: step.resourcePolicy };
    const pool = type === 'pb' ? boundaries : identity;
    const p = pool.find((x) => x.name === id);
    return { name: id ?? type, doc: p?.policy };
  };
  if (analysis.result === 'Allowed') {
    return getGrantReasons(analysis).map((g) => {
      const id = 'policyIdentifier' in g ? g.policyIdentifier : undefined;
      const { name, doc } = named(g.policyType, id);
      return {
        effect: 'Allow',
        policyType: g.policyType,
        policy: name,
        statement: statementLabel(doc, g.statementIndex, g.statementId),
      };
    });
  }
  return getDenialReasons(analysis).map((d): DecidingStatement => {
    if (d.denialType === 'Explicit') {
      const { name, doc } = named(d.policyType, d.policyIdentifier);
      return {
        effect: 'Deny',
        policyType: d.policyType,
        policy: name,
        statement: statementLabel(doc, d.statementIndex, d.statementId),
      };
    }
    const policy =
      d.policyType === 'resource'
        ? (step.resourcePolicyName ?? 'resource policy')
        : (d.identifier ?? d.policyType);
    return { effect: 'ImplicitDeny', policyType: d.policyType, policy: `no Allow in ${policy}` };
  });
}
