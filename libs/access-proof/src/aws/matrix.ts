import type { PlatformModel } from '@lakewall/platform-model';
import type { AccessKind, AwsCell, AwsPrincipal, CheckResult, ProtectedResource } from '../types';
import { ACCESS_KINDS } from '../types';
import { AwsEvaluator } from './evaluator';
import { enumeratePrincipals } from './principals';
import { enumerateResources, type PlacementFinding } from './resources';
import type { ResolvedEnvironment } from './resolved-environment';

export interface AwsPlane {
  readonly account: string;
  readonly region: string;
  readonly principals: readonly AwsPrincipal[];
  readonly resources: readonly ProtectedResource[];
  readonly cells: readonly AwsCell[];
  readonly placement: readonly PlacementFinding[];
}

/**
 * The AWS half of the matrix: every principal × every MNPI resource × every access kind the resource
 * offers, with and without MFA. A cell is allowed when any of the resource's checks for that access is
 * allowed end to end (every step of it).
 */
export async function evaluateAwsPlane(env: ResolvedEnvironment, model: PlatformModel): Promise<AwsPlane> {
  const principals = enumeratePrincipals(env, model);
  const { resources, placement } = enumerateResources(env, model, principals);
  const evaluator = new AwsEvaluator();
  const cells: AwsCell[] = [];
  for (const principal of principals) {
    for (const resource of resources) {
      for (const access of ACCESS_KINDS) {
        const checks = resource.checks.filter((c) => c.access === access);
        if (checks.length === 0) continue;
        for (const mfa of [false, true]) {
          cells.push(await evaluateCell(evaluator, env.account, principal, resource, access, checks, mfa));
        }
      }
    }
  }
  return { account: env.account, region: env.region, principals, resources, cells, placement };
}

async function evaluateCell(
  evaluator: AwsEvaluator,
  account: string,
  principal: AwsPrincipal,
  resource: ProtectedResource,
  access: AccessKind,
  checks: ProtectedResource['checks'],
  mfa: boolean,
): Promise<AwsCell> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    const steps = [];
    for (const step of check.steps) {
      const r = await evaluator.evaluate({ principal, account, mfa, step });
      steps.push(r);
      // A path stops at its first denied step: that is the statement that decides it.
      if (r.decision !== 'Allowed') break;
    }
    const allowed = steps.length === check.steps.length && steps.every((s) => s.decision === 'Allowed');
    results.push({ access, allowed, steps, then: check.then });
  }
  const allowedVia = results.filter((r) => r.allowed);
  return {
    plane: 'aws',
    principal: principal.id,
    resource: resource.id,
    access,
    mfa,
    allowed: allowedVia.length > 0,
    via: allowedVia.length > 0 ? allowedVia : results,
  };
}

/** "account-admin → kms:PutKeyPolicy on key:ZonemnpiKey → then grant itself kms:Decrypt (without MFA)". */
export function describePath(cell: AwsCell, check: CheckResult = cell.via[0]): string {
  const steps = check.steps.map((s) => s.action).join(' + ');
  return `${cell.principal} → ${steps} on ${cell.resource}${check.then ? ` → then ${check.then}` : ''} (${cell.mfa ? 'only with MFA' : 'without MFA'})`;
}
