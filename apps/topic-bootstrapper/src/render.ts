import type { AclBinding } from '@lakewall/platform-model';
import type {
  ApplyReport,
  DriftItem,
  Plan,
  PolicyViolation,
  TopicPlanItem,
  VerifyReport,
} from '@lakewall/topic-admin';

/** Exit codes of the bootstrapper (a live or model policy violation always wins). */
export const EXIT = { OK: 0, ERROR: 1, CHANGES: 2, DRIFT: 3, POLICY: 4 } as const;

export function planExitCode(plan: Plan): number {
  if (plan.summary.policyViolations > 0) return EXIT.POLICY;
  if (plan.summary.refusals > 0) return EXIT.ERROR;
  if (plan.summary.pendingChanges > 0 || plan.summary.blockedDeletions > 0) return EXIT.CHANGES;
  return plan.summary.drift > 0 ? EXIT.DRIFT : EXIT.OK;
}

/** Drift an apply leaves behind: what it may not change (kept configs, deletions without --allow-delete). */
export function residualDrift(report: ApplyReport): DriftItem[] {
  if (report.outcome !== 'applied' && report.outcome !== 'no-changes') return [];
  const fixed = new Set(['topic-missing', 'partitions', 'config', 'acl-missing']);
  const removed = new Set(
    report.plan.acls
      .filter((a) => a.action === 'delete' || a.action === 'revoke')
      .map((a) => JSON.stringify(a.acl)),
  );
  const deletedTopics = new Set(report.plan.topics.filter((t) => t.action === 'delete').map((t) => t.topic));
  return report.plan.drift.filter(
    (d) =>
      !fixed.has(d.kind) &&
      !(d.kind === 'acl-undeclared' && d.acl && removed.has(JSON.stringify(d.acl))) &&
      !(d.kind === 'topic-undeclared' && d.topic && deletedTopics.has(d.topic)),
  );
}

export function applyExitCode(report: ApplyReport): number {
  if (report.outcome === 'policy-violation' || report.revocation.violations.length > 0) return EXIT.POLICY;
  if (report.outcome === 'refused' || report.outcome === 'partial-failure') return EXIT.ERROR;
  return residualDrift(report).length > 0 ? EXIT.DRIFT : EXIT.OK;
}

export function verifyExitCode(report: VerifyReport): number {
  if (report.violations.length > 0) return EXIT.POLICY;
  return report.drift.length > 0 ? EXIT.DRIFT : EXIT.OK;
}

export function formatAclShort(a: AclBinding): string {
  const pattern = a.patternType === 'PREFIXED' ? `${a.resourceName}*` : a.resourceName;
  return `${a.permission.padEnd(5)} ${a.principal.padEnd(24)} ${a.operation.padEnd(16)} ${a.resourceType}:${pattern}${a.host === '*' ? '' : ` host=${a.host}`}`;
}

const MARK: Record<string, string> = {
  create: '+',
  update: '~',
  unchanged: '=',
  delete: '-',
  'would-delete': '?',
  kept: '!',
  revoke: 'X',
  'would-revoke': 'X',
};

function topicLines(t: TopicPlanItem, verbose: boolean): string[] {
  const lines: string[] = [];
  const head = `  ${MARK[t.action]} ${t.action.padEnd(12)} ${t.topic}`;
  if (t.action === 'create') {
    lines.push(`${head}  partitions=${t.partitions.desired} replication=${t.replicationFactor.desired}`);
    for (const c of t.configChanges) lines.push(`        ${c.name}=${c.to}`);
  } else if (t.action === 'update') {
    lines.push(head);
    if ((t.partitions.desired ?? 0) > (t.partitions.current ?? 0))
      lines.push(`        partitions: ${t.partitions.current} -> ${t.partitions.desired}`);
    for (const c of t.configChanges) lines.push(`        ${c.name}: ${c.from ?? '(default)'} -> ${c.to}`);
  } else if (t.action === 'unchanged') {
    if (verbose || t.refusals.length || Object.keys(t.undeclaredConfigs).length) lines.push(head);
  } else {
    lines.push(
      `${head}${t.action === 'would-delete' ? '  (not in the model; pass --allow-delete to delete it)' : ''}`,
    );
  }
  for (const [name, value] of Object.entries(t.undeclaredConfigs)) {
    if (t.action === 'update' || t.action === 'unchanged')
      lines.push(`        kept (not declared): ${name}=${value ?? '(sensitive)'}`);
  }
  for (const r of t.refusals) lines.push(`        REFUSED: ${r}`);
  return lines;
}

export function renderViolations(violations: readonly PolicyViolation[]): string[] {
  return violations.map((v) => `  POLICY VIOLATION [${v.kind}]: ${v.message}`);
}

function planHeadline(plan: Plan): string {
  const s = plan.summary;
  if (s.policyViolations)
    return `MNPI POLICY VIOLATION: ${s.policyViolations} way(s) for principals not cleared for MNPI to reach it (see below).`;
  if (s.refusals)
    return `REFUSED: ${s.refusals} change(s) the bootstrapper will not make; fix the model before applying.`;
  if (s.pendingChanges || s.blockedDeletions)
    return `Changes pending: ${s.pendingChanges} to apply${s.blockedDeletions ? `, ${s.blockedDeletions} more with --allow-delete` : ''}.`;
  if (s.drift)
    return `DRIFT: ${s.drift} difference(s) between the cluster and the model that apply does not change (see below).`;
  return 'In sync: the cluster matches the model and no MNPI policy is broken.';
}

export function renderPlan(plan: Plan, options: { verbose?: boolean } = {}): string {
  const s = plan.summary;
  const out: string[] = [planHeadline(plan), ''];
  out.push(
    `Plan for env '${plan.env}' (managed prefix '${plan.managedPrefix}'${plan.runningPrincipal ? `, as ${plan.runningPrincipal}` : ''})`,
  );
  out.push(
    `Topics: ${s.topics.create} to create, ${s.topics.update} to update, ${s.topics.unchanged} unchanged, ` +
      `${s.topics.delete} to delete, ${s.topics['would-delete']} would be deleted with --allow-delete`,
  );
  for (const t of plan.topics) out.push(...topicLines(t, options.verbose ?? false));
  out.push(
    `ACLs: ${s.acls.create} to create, ${s.acls.unchanged} unchanged, ${s.acls.delete} to delete, ` +
      `${s.acls['would-delete']} would be deleted with --allow-delete, ${s.acls.kept} kept, ` +
      `${s.acls.revoke + s.acls['would-revoke']} leaking`,
  );
  for (const a of plan.acls) {
    if (a.action === 'unchanged' && !options.verbose) continue;
    const note =
      a.action === 'would-revoke'
        ? '  (breaks the MNPI policy; apply --allow-delete revokes it first)'
        : a.reason
          ? `  (${a.reason})`
          : '';
    out.push(`  ${MARK[a.action]} ${a.action.padEnd(12)} ${formatAclShort(a.acl)}${note}`);
  }
  if (plan.policy.desired.length) {
    out.push(
      '',
      `The model's own ACLs break the MNPI policy; nothing will be written:`,
      ...renderViolations(plan.policy.desired),
    );
  }
  if (plan.policy.live.length) {
    out.push('', `ACLs on the cluster break the MNPI policy:`, ...renderViolations(plan.policy.live));
  }
  const untouched = plan.drift.filter((d) => ['config-undeclared', 'replication-factor'].includes(d.kind));
  if (untouched.length)
    out.push('', 'Drift apply does not change:', ...untouched.map((d) => `  ${d.message}`));
  return out.join('\n');
}

function stepCounts(report: ApplyReport): string {
  const done = report.steps.filter((s) => s.status === 'done');
  const count = (op: string) => done.filter((s) => s.operation === op).length;
  return (
    `${count('revokeAcls')} leaking ACL(s) revoked, ${count('createTopics')} topic(s) created, ${count('createPartitions')} grown, ` +
    `${count('alterConfigs')} reconfigured, ${count('createAcls')} ACL(s) created, ${count('deleteAcls')} ACL(s) deleted, ` +
    `${count('deleteTopics')} topic(s) deleted`
  );
}

function applyHeadline(report: ApplyReport): string {
  const r = report.revocation;
  const env = report.plan.env;
  const parts: string[] = [];
  if (report.outcome === 'policy-violation')
    return `MNPI POLICY VIOLATION: the model's own ACLs would leak MNPI; apply refused, nothing was written to env '${env}'.`;
  if (r.violations.length) {
    parts.push(
      r.attempted
        ? `MNPI POLICY VIOLATION found on env '${env}': ${r.violations.length} violation(s); ${r.revoked} leaking ACL(s) revoked${r.failed ? `, ${r.failed} revocation(s) FAILED` : ''}.`
        : `MNPI POLICY VIOLATION found on env '${env}': ${r.violations.length} violation(s), NOT revoked (pass --allow-delete to revoke the ACLs listed below).`,
    );
  }
  if (report.outcome === 'refused')
    parts.push(
      `Apply REFUSED: the plan holds changes the bootstrapper will not make; nothing else was written.`,
    );
  else if (report.outcome === 'partial-failure') {
    const bad = report.steps.filter((s) => s.status !== 'done').length;
    parts.push(`Apply FAILED part-way on env '${env}': ${bad} step(s) not done; ${stepCounts(report)}.`);
  } else if (report.outcome === 'no-changes' && !r.violations.length)
    parts.push(
      `Nothing to apply: env '${env}' matches the model (${report.plan.summary.topics.unchanged} topics, ${report.plan.summary.acls.unchanged} ACLs).`,
    );
  else parts.push(`Applied to env '${env}': ${stepCounts(report)} in ${report.seconds.toFixed(1)}s.`);
  return parts.join(' ');
}

export function renderApplyReport(report: ApplyReport): string {
  const out: string[] = [applyHeadline(report)];
  if (report.outcome === 'policy-violation' || report.outcome === 'refused')
    out.push('', renderPlan(report.plan));
  else if (report.revocation.violations.length) out.push(...renderViolations(report.revocation.violations));
  if (!report.revocation.attempted && report.revocation.violations.length) {
    for (const a of report.plan.acls.filter((i) => i.action === 'would-revoke'))
      out.push(`  would revoke: ${formatAclShort(a.acl)}`);
  }
  const bad = report.steps.filter((s) => s.status !== 'done');
  if (bad.length) {
    out.push(`NOT done (${bad.length}); run apply again once the cause is fixed:`);
    for (const s of bad) out.push(`  ${s.status.padEnd(13)} ${s.operation} ${s.target}: ${s.error ?? ''}`);
  }
  const residual = residualDrift(report);
  if (residual.length) {
    out.push(`The cluster still differs from the model (${residual.length}):`);
    out.push(...residual.map((d) => `  ${d.message}`));
  }
  return out.join('\n');
}

export function renderVerifyReport(report: VerifyReport): string {
  const env = report.plan.env;
  const out: string[] = [];
  if (report.violations.length)
    out.push(
      `MNPI POLICY VIOLATION on env '${env}' (${report.violations.length}):`,
      ...renderViolations(report.violations),
    );
  if (report.drift.length) {
    out.push(`DRIFT on env '${env}' (${report.drift.length}):`);
    out.push(...report.drift.map((d) => `  ${d.message}`));
  }
  if (!report.violations.length && !report.drift.length) {
    out.push(
      `OK: env '${env}' has ${report.plan.topics.length} topics and ${report.plan.acls.length} ACLs matching the model; no MNPI policy broken.`,
    );
  }
  return out.join('\n');
}
