import type { AclBinding } from '@lakewall/platform-model';
import type { PolicyViolation } from './policy/mnpi-policy';
import type { ApplyReport, Plan, TopicPlanItem, VerifyReport } from './types';

/** Exit codes of the bootstrapper. */
export const EXIT = { OK: 0, ERROR: 1, CHANGES: 2, DRIFT: 3, POLICY: 4 } as const;

export function planExitCode(plan: Plan): number {
  if (plan.summary.policyViolations > 0) return EXIT.POLICY;
  if (plan.summary.refusals > 0) return EXIT.ERROR;
  return plan.summary.pendingChanges > 0 ? EXIT.CHANGES : EXIT.OK;
}

export function applyExitCode(report: ApplyReport): number {
  switch (report.outcome) {
    case 'policy-violation':
      return EXIT.POLICY;
    case 'refused':
    case 'partial-failure':
      return EXIT.ERROR;
    default:
      // The model is clean but the cluster still holds a leaking ACL the apply may not remove.
      return report.plan.policy.live.length > 0 ? EXIT.POLICY : EXIT.OK;
  }
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
};

function topicLines(t: TopicPlanItem, verbose: boolean): string[] {
  const lines: string[] = [];
  const head = `  ${MARK[t.action]} ${t.action.padEnd(12)} ${t.topic}`;
  if (t.action === 'create') {
    lines.push(`${head}  partitions=${t.partitions.desired} replication=${t.replicationFactor.desired}`);
    for (const c of t.configChanges) lines.push(`        ${c.name}=${c.to}`);
  } else if (t.action === 'update') {
    lines.push(head);
    if (
      t.partitions.desired !== t.partitions.current &&
      (t.partitions.desired ?? 0) > (t.partitions.current ?? 0)
    ) {
      lines.push(`        partitions: ${t.partitions.current} -> ${t.partitions.desired}`);
    }
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

export function renderPlan(plan: Plan, options: { verbose?: boolean } = {}): string {
  const s = plan.summary;
  const out: string[] = [];
  out.push(
    `Plan for env '${plan.env}' (managed prefix '${plan.managedPrefix}'${plan.runningPrincipal ? `, as ${plan.runningPrincipal}` : ''})`,
  );
  out.push('');
  out.push(
    `Topics: ${s.topics.create} to create, ${s.topics.update} to update, ${s.topics.unchanged} unchanged, ` +
      `${s.topics.delete} to delete, ${s.topics['would-delete']} would be deleted with --allow-delete`,
  );
  for (const t of plan.topics) out.push(...topicLines(t, options.verbose ?? false));
  out.push('');
  out.push(
    `ACLs: ${s.acls.create} to create, ${s.acls.unchanged} unchanged, ${s.acls.delete} to delete, ` +
      `${s.acls['would-delete']} would be deleted with --allow-delete, ${s.acls.kept} kept`,
  );
  for (const a of plan.acls) {
    if (a.action === 'unchanged' && !options.verbose) continue;
    out.push(
      `  ${MARK[a.action]} ${a.action.padEnd(12)} ${formatAclShort(a.acl)}${a.reason ? `  (${a.reason})` : ''}`,
    );
  }
  const violations = [...plan.policy.desired, ...plan.policy.live];
  if (violations.length) {
    out.push('');
    if (plan.policy.desired.length)
      out.push(`The model's own ACLs break the MNPI policy; nothing will be written:`);
    out.push(...renderViolations(plan.policy.desired));
    if (plan.policy.live.length)
      out.push(`ACLs on the cluster break the MNPI policy and this plan does not remove them:`);
    out.push(...renderViolations(plan.policy.live));
  }
  out.push('');
  if (s.policyViolations) out.push(`Result: MNPI policy violated (${s.policyViolations}).`);
  else if (s.refusals) out.push(`Result: ${s.refusals} change(s) refused; fix the model before applying.`);
  else if (s.pendingChanges) out.push(`Result: ${s.pendingChanges} change(s) pending.`);
  else out.push('Result: in sync, nothing to do.');
  return out.join('\n');
}

export function renderApplyReport(report: ApplyReport): string {
  const out: string[] = [];
  const byStatus = (status: string) => report.steps.filter((s) => s.status === status);
  switch (report.outcome) {
    case 'policy-violation':
      out.push(renderPlan(report.plan));
      out.push('Apply refused: the model would leak MNPI. Nothing was written.');
      break;
    case 'refused':
      out.push(renderPlan(report.plan));
      out.push(
        'Apply refused: the plan contains changes the bootstrapper will not make. Nothing was written.',
      );
      break;
    case 'no-changes':
      out.push(
        `Nothing to apply: env '${report.plan.env}' is in sync (${report.plan.summary.topics.unchanged} topics, ${report.plan.summary.acls.unchanged} ACLs).`,
      );
      break;
    default: {
      const done = byStatus('done');
      const failed = byStatus('failed');
      const skipped = byStatus('not-attempted');
      const count = (op: string) => done.filter((s) => s.operation === op).length;
      out.push(
        `Applied to env '${report.plan.env}': ${count('createTopics')} topic(s) created, ${count('createPartitions')} grown, ` +
          `${count('alterConfigs')} reconfigured, ${count('createAcls')} ACL(s) created, ${count('deleteAcls')} ACL(s) deleted, ` +
          `${count('deleteTopics')} topic(s) deleted in ${report.seconds.toFixed(1)}s.`,
      );
      if (failed.length || skipped.length) {
        out.push(
          `NOT done (${failed.length} failed, ${skipped.length} not attempted); run apply again once the cause is fixed:`,
        );
        for (const s of [...failed, ...skipped])
          out.push(`  ${s.status.padEnd(13)} ${s.operation} ${s.target}: ${s.error ?? ''}`);
      }
    }
  }
  if (report.outcome !== 'policy-violation' && report.plan.policy.live.length) {
    out.push('ACLs on the cluster still break the MNPI policy:');
    out.push(...renderViolations(report.plan.policy.live));
  }
  return out.join('\n');
}

export function renderVerifyReport(report: VerifyReport): string {
  const out: string[] = [`Verify env '${report.plan.env}' (managed prefix '${report.plan.managedPrefix}')`];
  if (report.violations.length) {
    out.push(`MNPI policy violated (${report.violations.length}):`);
    out.push(...renderViolations(report.violations));
  }
  if (report.drift.length) {
    out.push(`Drift under '${report.plan.managedPrefix}' (${report.drift.length}):`);
    out.push(...report.drift.map((d) => `  ${d}`));
  }
  if (!report.violations.length && !report.drift.length) {
    out.push(
      `OK: ${report.plan.topics.length} topics and ${report.plan.acls.length} ACLs match the model; no MNPI leak.`,
    );
  }
  return out.join('\n');
}

/** JSON-safe form of a plan (Maps and class instances flattened). */
export function planToJson(plan: Plan): unknown {
  return JSON.parse(JSON.stringify(plan));
}
