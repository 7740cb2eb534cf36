import { describePath } from './aws/matrix';
import { strongestCells, type AccessReport, type Finding } from './report';
import type { AwsCell, DecidingStatement } from './types';
import { ACCESS_KINDS } from './types';

/** Grid symbols: allowed with and without MFA, allowed only with MFA, denied. */
const VERDICTS =
  'pass: no path into MNPI   ack: only acknowledged findings   FAIL: a path neither expected nor acknowledged';
const LEGEND =
  'Y allowed (with or without MFA)   M allowed only with MFA   . denied   (blank: no such access)';

export function renderText(report: AccessReport): string {
  const out: string[] = [];
  const { aws, kafka } = report;
  out.push(`Access proof: ${report.environment} (account ${report.account}, ${report.region})`);
  out.push(
    (report.awsNotEvaluated
      ? `AWS plane: ${report.awsNotEvaluated}. `
      : `AWS plane: ${aws.principals.length} principals × ${aws.resources.length} MNPI resources, ${aws.cells.length} cells. `) +
      `Kafka plane (${kafka.source}): ${kafka.principals.length} principals × ${kafka.topics.length} MNPI topics.`,
  );
  out.push(`Result: ${report.passed ? 'PASS' : `FAIL (exit ${report.exitCode})`}`, '');

  out.push('Verdicts', `  ${VERDICTS}`);
  const width = Math.max(...report.verdicts.map((v) => v.principal.length));
  for (const v of report.verdicts) {
    const counts = [
      v.failures ? `${v.failures} failing path(s)` : '',
      v.acknowledged ? `${v.acknowledged} acknowledged` : '',
    ]
      .filter(Boolean)
      .join(', ');
    out.push(
      `  ${v.verdict === 'fail' ? 'FAIL' : 'pass'}  ${v.plane.padEnd(5)} ${v.principal.padEnd(width)}  clearance ${v.clearance.padEnd(7)} ${counts}`,
    );
  }
  out.push('');

  const failing = report.findings.filter((f) => f.status !== 'acknowledged');
  const acknowledged = report.findings.filter((f) => f.status === 'acknowledged');
  out.push(`Failures (${failing.length})`);
  for (const f of failing) out.push(...renderFinding(report, f));
  if (failing.length === 0) out.push('  none');
  out.push('', `Acknowledged findings (${acknowledged.length})`);
  for (const f of acknowledged) {
    out.push(
      `  ${f.path}`,
      ...(f.otherPaths ?? []).map((p) => `    or ${p}`),
      `      acknowledged: ${f.acknowledgedBecause}`,
    );
  }
  if (acknowledged.length === 0) out.push('  none');
  if (report.staleEntries.length) {
    out.push('', 'Stale expected-access entries (they match nothing here; delete or correct them):');
    for (const s of report.staleEntries) out.push(`  ${s}`);
  }
  if (report.unresolvedPolicies.length) {
    out.push('', 'Policies the evaluator cannot see offline (assumed to allow everything):');
    for (const u of report.unresolvedPolicies) out.push(`  ${u.principal}: ${u.policy}`);
  }

  out.push('', 'AWS matrix', `  ${LEGEND}`);
  for (const resource of aws.resources) {
    const cells = aws.cells.filter((c) => c.resource === resource.id);
    const kinds = ACCESS_KINDS.filter((k) => cells.some((c) => c.access === k));
    out.push('', `  ${resource.id}  ${resource.description}; ${resource.why}`);
    out.push(`    ${''.padEnd(width)}  ${kinds.map((k) => k.padEnd(14)).join('')}`.trimEnd());
    for (const p of aws.principals) {
      const row = kinds
        .map((k) => symbol(cells.filter((c) => c.principal === p.id && c.access === k)).padEnd(14))
        .join('');
      out.push(`    ${p.id.padEnd(width)}  ${row}`.trimEnd());
    }
  }

  out.push('', 'Allowed AWS cells and their deciding statements');
  for (const c of strongestCells(aws.cells)) {
    out.push(`  ${describePath(c)}`);
    for (const s of c.via[0].steps)
      out.push(`      ${s.action} on ${s.resource}: ${s.deciding.map(formatStatement).join('; ')}`);
  }

  out.push('', `Kafka matrix (${kafka.source})`);
  for (const topic of kafka.topics) {
    const ops = [...new Set(kafka.cells.map((c) => c.operation))];
    out.push(
      '',
      `  topic:${topic}`,
      `    ${''.padEnd(width)}  ${ops.map((o) => o.padEnd(10)).join('')}`.trimEnd(),
    );
    for (const p of kafka.principals) {
      const row = ops
        .map((o) =>
          (kafka.cells.find(
            (c) => c.principal === p.id && c.resource === `topic:${topic}` && c.operation === o,
          )?.allowed
            ? 'Y'
            : '.'
          ).padEnd(10),
        )
        .join('');
      out.push(`    ${p.id.padEnd(width)}  ${row}`.trimEnd());
    }
  }
  return out.join('\n') + '\n';
}

function symbol(cells: AwsCell[]): string {
  if (cells.length === 0) return '';
  const without = cells.find((c) => !c.mfa)?.allowed;
  const withMfa = cells.find((c) => c.mfa)?.allowed;
  return without ? 'Y' : withMfa ? 'M' : '.';
}

function formatStatement(s: DecidingStatement): string {
  if (s.effect === 'ImplicitDeny') return s.policy;
  return `${s.effect} by ${s.policy}${s.statement ? ` [${s.statement}]` : ''}`;
}

function renderFinding(report: AccessReport, f: Finding): string[] {
  const label =
    f.status === 'unexpected' ? 'UNEXPECTED (cleared, but not in the expected-access list)' : 'VIOLATION';
  const lines = [`  ${label}: ${f.path}`, ...(f.otherPaths ?? []).map((p) => `    or ${p}`)];
  if (f.plane === 'aws') {
    const cell = report.aws.cells.find(
      (c) =>
        c.allowed &&
        c.principal === f.principal &&
        c.resource === f.resource &&
        c.access === f.access &&
        f.path === describePath(c),
    );
    for (const s of cell?.via[0].steps ?? [])
      lines.push(`      ${s.action} on ${s.resource}: ${s.deciding.map(formatStatement).join('; ')}`);
  }
  return lines;
}

/** The report as JSON: the whole matrix, denied cells included, with every deciding statement. */
export function renderJson(report: AccessReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
