import { desired, inSyncCluster, model, policy } from './plan-fixtures';
import { deriveAcls } from '@lakewall/platform-model';
import { planChanges, type ApplyReport, type LiveTopic } from '@lakewall/topic-admin';
import { applyExitCode, planExitCode, renderApplyReport, renderPlan, verifyExitCode } from './render';

const cluster = inSyncCluster;
const escalation = {
  principal: 'User:sink-public',
  host: '*',
  resourceType: 'CLUSTER' as const,
  resourceName: 'kafka-cluster',
  patternType: 'LITERAL' as const,
  operation: 'ALTER' as const,
  permission: 'ALLOW' as const,
};

describe('plan: "in sync" only when plan, drift and policy agree', () => {
  it('in sync: exit 0', () => {
    const plan = planChanges(desired, cluster(), { policy });
    expect(planExitCode(plan)).toBe(0);
    expect(renderPlan(plan).split('\n')[0]).toMatch(/^In sync/);
  });
  it('drift apply does not change (an undeclared config): exit 3, never "in sync"', () => {
    const c = cluster();
    const t = c.topics.get('cdc.trades.mnpi') as LiveTopic;
    c.topics.set(t.name, { ...t, dynamicConfigs: { ...t.dynamicConfigs, 'segment.ms': '1000' } });
    const plan = planChanges(desired, c, { policy });
    expect(planExitCode(plan)).toBe(3);
    expect(renderPlan(plan)).not.toMatch(/in sync/i);
  });
  it('a deletion only --allow-delete would make: exit 2', () => {
    const c = cluster();
    c.topicNames.push('cdc.old.public');
    expect(planExitCode(planChanges(desired, c, { policy }))).toBe(2);
  });
  it('a live violation wins over a refusal: exit 4, and the violation is printed', () => {
    const c = cluster();
    c.acls = [...c.acls, escalation];
    const t = c.topics.get('cdc.trades.mnpi') as LiveTopic;
    c.topics.set(t.name, { ...t, partitions: 99 });
    const plan = planChanges(desired, c, { policy });
    expect(planExitCode(plan)).toBe(4);
    const text = renderPlan(plan);
    expect(text.split('\n')[0]).toMatch(/^MNPI POLICY VIOLATION/);
    expect(text).toContain(
      'POLICY VIOLATION [escalation]: User:sink-public (clearance: public) can grant itself access',
    );
    expect(text).toContain('REFUSED: partitions only grow');
  });
});

describe('apply report', () => {
  const plan = planChanges(desired, cluster(), { policy });
  const report = (over: Partial<ApplyReport>): ApplyReport => ({
    plan,
    outcome: 'applied',
    revocation: { violations: [], revoked: 0, failed: 0, attempted: true },
    steps: [],
    adminRequests: {},
    seconds: 0,
    ...over,
  });
  it('exit codes', () => {
    expect(applyExitCode(report({}))).toBe(0);
    expect(applyExitCode(report({ outcome: 'no-changes' }))).toBe(0);
    expect(applyExitCode(report({ outcome: 'refused' }))).toBe(1);
    expect(applyExitCode(report({ outcome: 'partial-failure' }))).toBe(1);
    expect(applyExitCode(report({ outcome: 'policy-violation' }))).toBe(4);
  });
  it('a refused apply that revoked a live leak exits 4 and says both in its first line', () => {
    const live = planChanges(
      desired,
      { ...cluster(), acls: [...deriveAcls(model, 'local'), escalation] },
      { policy, allowDelete: true },
    );
    const r = report({
      plan: live,
      outcome: 'refused',
      revocation: { violations: live.policy.live, revoked: 1, failed: 0, attempted: true },
      steps: [{ operation: 'revokeAcls', target: 'x', status: 'done' }],
    });
    expect(applyExitCode(r)).toBe(4);
    const first = renderApplyReport(r).split('\n')[0];
    expect(first).toMatch(
      /^MNPI POLICY VIOLATION found on env 'local': 1 violation\(s\); 1 leaking ACL\(s\) revoked\. Apply REFUSED/,
    );
  });
  it('a partial failure says so in its first line', () => {
    const r = report({
      outcome: 'partial-failure',
      steps: [{ operation: 'createTopics', target: 't', status: 'failed', error: 'x' }],
    });
    expect(renderApplyReport(r).split('\n')[0]).toMatch(
      /^Apply FAILED part-way on env 'local': 1 step\(s\) not done/,
    );
  });
  it('verify: policy wins over drift', () => {
    const v = { plan, adminRequests: {} };
    const drift = [{ kind: 'topic-missing' as const, message: 'x' }];
    expect(verifyExitCode({ ...v, drift: [], violations: [] })).toBe(0);
    expect(verifyExitCode({ ...v, drift, violations: [] })).toBe(3);
    expect(verifyExitCode({ ...v, drift, violations: live() })).toBe(4);
  });
});

function live() {
  return planChanges(desired, { ...cluster(), acls: [...deriveAcls(model, 'local'), escalation] }, { policy })
    .policy.live;
}
