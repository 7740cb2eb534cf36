import type { EnvName, PlatformModel } from '@lakewall/platform-model';
import type { EnvironmentTemplates } from './aws/cloud-assembly';
import { describePath, evaluateAwsPlane, type AwsPlane } from './aws/matrix';
import { resolveEnvironment } from './aws/resolved-environment';
import { describeEntry, entryCovers, NO_EXPECTATIONS, type ExpectedAccess } from './expected-access';
import { evaluateKafkaPlane, type KafkaPlane, type KafkaPlaneInput } from './kafka/topic-policy-adapter';
import type { AwsCell, Clearance } from './types';

/** Exit codes of `npm run access -- report`, like the bootstrapper's: 3 drift, 4 MNPI violation. */
export const EXIT = { ok: 0, error: 1, staleExpectations: 3, violation: 4 } as const;

export type FindingStatus = 'violation' | 'acknowledged' | 'unexpected';

/** Something the gate looks at: a path into MNPI that the model does not intend. */
export interface Finding {
  readonly plane: 'aws' | 'kafka' | 'configuration';
  readonly status: FindingStatus;
  readonly principal: string;
  readonly resource: string;
  readonly access: string;
  /** e.g. "account-admin → kms:PutKeyPolicy on key:ZonemnpiKey → then grant itself kms:Decrypt (without MFA)". */
  readonly path: string;
  /** Other ways to the same access, when there are several (e.g. sts:AssumeRole and iam:PassRole). */
  readonly otherPaths?: readonly string[];
  /** The acknowledgment's reason, when acknowledged. */
  readonly acknowledgedBecause?: string;
}

export interface PrincipalVerdict {
  readonly plane: 'aws' | 'kafka';
  readonly principal: string;
  readonly clearance: Clearance;
  readonly verdict: 'pass' | 'fail' | 'pass (acknowledged findings)';
  readonly failures: number;
  readonly acknowledged: number;
}

export interface AccessReport {
  readonly environment: string;
  readonly account: string;
  readonly region: string;
  /** Why the AWS plane is empty, when the environment has no templates (the local stack). */
  readonly awsNotEvaluated?: string;
  readonly aws: AwsPlane;
  readonly kafka: KafkaPlane;
  readonly findings: readonly Finding[];
  readonly verdicts: readonly PrincipalVerdict[];
  /** Expected-access entries that match nothing in this environment any more. */
  readonly staleEntries: readonly string[];
  /** Policies the evaluator could not see and assumed to allow everything. */
  readonly unresolvedPolicies: readonly { principal: string; policy: string }[];
  readonly passed: boolean;
  readonly exitCode: number;
}

/** The local stack has no AWS account: its report is the Kafka plane alone. */
export const LOCAL_AWS_NOTE = 'not evaluated: the local stack has no AWS account (Kafka plane only)';

export interface ReportInput {
  readonly model: PlatformModel;
  /**
   * The environment's synthesized templates; without them (the local stack) the AWS plane is empty,
   * `environment` names the environment, and expected-access entries are never reported stale
   * (they describe AWS access that was not evaluated).
   */
  readonly templates?: EnvironmentTemplates;
  readonly environment?: EnvName;
  readonly expected?: ExpectedAccess;
  readonly kafka?: Omit<KafkaPlaneInput, 'model' | 'env'>;
}

export async function buildAccessReport(input: ReportInput): Promise<AccessReport> {
  const { model, templates } = input;
  const expected = input.expected ?? NO_EXPECTATIONS;
  const envName = templates?.environment ?? input.environment;
  if (!envName) throw new Error('an access report needs the templates or the environment');
  const region = templates?.region ?? model.environments[envName as EnvName]?.region ?? '';
  const aws: AwsPlane = templates
    ? await evaluateAwsPlane(resolveEnvironment(templates), model)
    : { account: 'none', region, principals: [], resources: [], cells: [], placement: [] };
  const kafka = evaluateKafkaPlane({ model, env: envName as EnvName, ...input.kafka });

  const used = { expected: new Set<number>(), acknowledged: new Set<number>() };
  const acknowledge = (principal: string, resource: string, access: string): string | undefined => {
    const i = expected.acknowledged.findIndex((e) => entryCovers(e, envName, principal, resource, access));
    if (i < 0) return undefined;
    used.acknowledged.add(i);
    return expected.acknowledged[i].reason;
  };
  const clearanceOf = new Map(aws.principals.map((p) => [p.id, p.clearance]));
  const findings: Finding[] = [];
  const errors: string[] = [];

  for (const cell of strongestCells(aws.cells)) {
    const cleared = clearanceOf.get(cell.principal) === 'mnpi';
    const path = describePath(cell);
    const others = cell.via.slice(1).map((check) => describePath(cell, check));
    const otherPaths = others.length ? others : undefined;
    if (cleared) {
      const i = expected.expected.findIndex(
        (e) =>
          entryCovers(e, envName, cell.principal, cell.resource, cell.access) &&
          (e.mfa === 'any' || cell.mfa),
      );
      if (i >= 0) {
        used.expected.add(i);
        continue;
      }
      const because = acknowledge(cell.principal, cell.resource, cell.access);
      findings.push({
        plane: 'aws',
        status: because ? 'acknowledged' : 'unexpected',
        principal: cell.principal,
        resource: cell.resource,
        access: cell.access,
        path,
        otherPaths,
        acknowledgedBecause: because,
      });
      continue;
    }
    // Classification comes from the model: an `expected` entry can never make this allowed.
    expected.expected.forEach((e, i) => {
      if (entryCovers(e, envName, cell.principal, cell.resource, cell.access)) {
        errors.push(
          `${describeEntry('expected', i, e)} covers ${cell.principal}, which the model does not clear for MNPI`,
        );
      }
    });
    const because = acknowledge(cell.principal, cell.resource, cell.access);
    findings.push({
      plane: 'aws',
      status: because ? 'acknowledged' : 'violation',
      principal: cell.principal,
      resource: cell.resource,
      access: cell.access,
      path,
      otherPaths,
      acknowledgedBecause: because,
    });
  }
  for (const p of aws.placement) {
    const because = acknowledge('configuration', p.resource, 'read');
    findings.push({
      plane: 'configuration',
      status: because ? 'acknowledged' : 'violation',
      principal: 'configuration',
      resource: p.resource,
      access: 'read',
      path: p.message,
      acknowledgedBecause: because,
    });
  }
  for (const v of kafka.violations) {
    const because = acknowledge(v.principal, v.resource, 'read');
    findings.push({
      plane: 'kafka',
      status: because ? 'acknowledged' : 'violation',
      principal: v.principal,
      resource: v.resource,
      access: `${v.kind}: ${v.operations.join(', ')}`,
      path: v.message,
      acknowledgedBecause: because,
    });
  }

  const staleEntries = !templates
    ? []
    : [
        ...expected.expected.flatMap((e, i) =>
          applies(e, envName) && !used.expected.has(i) ? [describeEntry('expected', i, e)] : [],
        ),
        ...expected.acknowledged.flatMap((e, i) =>
          applies(e, envName) && !used.acknowledged.has(i) ? [describeEntry('acknowledged', i, e)] : [],
        ),
      ];
  if (errors.length)
    throw new Error(
      `The expected-access list contradicts the model:\n  ${[...new Set(errors)].join('\n  ')}`,
    );

  const verdicts = [
    ...aws.principals.map((p) => verdictOf('aws', p.id, p.clearance, findings)),
    ...kafka.principals.map((p) => verdictOf('kafka', p.id, p.clearance, findings)),
  ];
  const failing = findings.some((f) => f.status !== 'acknowledged');
  return {
    environment: envName,
    account: templates?.account ?? 'none',
    region,
    ...(templates ? {} : { awsNotEvaluated: LOCAL_AWS_NOTE }),
    aws,
    kafka,
    findings,
    verdicts,
    staleEntries,
    unresolvedPolicies: aws.principals.flatMap((p) =>
      p.unresolvedPolicies.map((policy) => ({ principal: p.id, policy })),
    ),
    passed: !failing && staleEntries.length === 0,
    exitCode: failing ? EXIT.violation : staleEntries.length ? EXIT.staleExpectations : EXIT.ok,
  };
}

/**
 * One allowed cell per principal, resource and access: the one without MFA when that is allowed (the
 * weaker requirement), otherwise the one with MFA.
 */
export function strongestCells(cells: readonly AwsCell[]): AwsCell[] {
  const out = new Map<string, AwsCell>();
  for (const c of cells) {
    if (!c.allowed) continue;
    const key = `${c.principal}|${c.resource}|${c.access}`;
    const seen = out.get(key);
    if (!seen || (seen.mfa && !c.mfa)) out.set(key, c);
  }
  return [...out.values()];
}

function applies(e: { environments?: string[] }, env: string): boolean {
  return !e.environments || e.environments.includes(env);
}

function verdictOf(
  plane: 'aws' | 'kafka',
  principal: string,
  clearance: Clearance,
  findings: readonly Finding[],
): PrincipalVerdict {
  const mine = findings.filter((f) => f.plane === plane && f.principal === principal);
  const failures = mine.filter((f) => f.status !== 'acknowledged').length;
  const acknowledged = mine.length - failures;
  return {
    plane,
    principal,
    clearance,
    verdict: failures ? 'fail' : acknowledged ? 'pass (acknowledged findings)' : 'pass',
    failures,
    acknowledged,
  };
}

/** The allowed cells of the AWS matrix, for readers that want only what is reachable. */
export function allowedCells(report: AccessReport): AwsCell[] {
  return report.aws.cells.filter((c) => c.allowed);
}
