import { listAcknowledgments } from '@lakewall/infra-constructs';
import { AwsSolutionsChecks, NIST80053R5Checks, type NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** The rule packs every environment must pass. */
export function nagPacks(): NagPack[] {
  return [new AwsSolutionsChecks(), new NIST80053R5Checks()];
}

export interface NagFinding {
  readonly rule: string;
  readonly path: string;
  readonly description: string;
}

export interface NagGateResult {
  /** Findings that are not acknowledged: the gate passes only when this is empty. */
  readonly findings: readonly NagFinding[];
  /** Acknowledgments recorded under the scope (one rule on one construct each). */
  readonly acknowledged: number;
}

/** Runs both packs over a construct tree (a stage) and collects what is left unacknowledged. */
export function runNagGate(scope: IConstruct): NagGateResult {
  const findings: NagFinding[] = [];
  for (const pack of nagPacks()) {
    const report = pack.validateScope(scope);
    for (const violation of report.violations) {
      for (const resource of violation.violatingResources) {
        findings.push({
          rule: violation.ruleName,
          path: resource.constructPath ?? '?',
          description: violation.description,
        });
      }
    }
  }
  return { findings, acknowledged: listAcknowledgments(scope).length };
}

export function formatFindings(findings: readonly NagFinding[]): string {
  return findings.map((f) => `  ${f.rule} at ${f.path}: ${f.description}`).join('\n');
}
