import { deriveAcls, loadPlatformModel, type AclBinding, type DesiredTopic } from '@lakewall/platform-model';
import { desiredStateOf } from './engine';
import { driftOf, isManagedAcl, planChanges, planTopic } from './planner';
import { policyContextFor } from './policy/mnpi-policy';
import { applyExitCode, planExitCode, renderPlan, verifyExitCode } from './render';
import type { ApplyReport, ClusterState, LiveTopic } from './types';

const model = loadPlatformModel();
const desired = desiredStateOf(model, 'local');
const { clearances, mnpiPattern } = policyContextFor(model, []);
const policy = { clearances, mnpiPattern };

const topic = (over: Partial<DesiredTopic> = {}): DesiredTopic => ({
  name: 'cdc.trades.mnpi',
  table: 'trades',
  zone: 'mnpi',
  topicClass: 'cdc',
  partitions: 3,
  replicationFactor: 1,
  configs: { 'retention.ms': '604800000', 'cleanup.policy': 'delete' },
  ...over,
});
const live = (over: Partial<LiveTopic> = {}): LiveTopic => ({
  name: 'cdc.trades.mnpi',
  partitions: 3,
  replicationFactor: 1,
  dynamicConfigs: { 'retention.ms': '604800000', 'cleanup.policy': 'delete' },
  ...over,
});

/** The cluster exactly as the model wants it. */
function inSync(): { topicNames: string[]; topics: Map<string, LiveTopic>; acls: AclBinding[] } {
  const topics = new Map<string, LiveTopic>();
  for (const t of desired.topics) {
    topics.set(t.name, {
      name: t.name,
      partitions: t.partitions,
      replicationFactor: t.replicationFactor,
      dynamicConfigs: { ...t.configs },
    });
  }
  return { topicNames: [...topics.keys()], topics, acls: [...deriveAcls(model, 'local')] };
}

describe('planTopic', () => {
  it('creates a missing topic with its declared configs', () => {
    const i = planTopic(topic(), undefined);
    expect(i.action).toBe('create');
    expect(i.configChanges.map((c) => c.name).sort()).toEqual(['cleanup.policy', 'retention.ms']);
  });
  it('leaves an identical topic unchanged', () => {
    expect(planTopic(topic(), live()).action).toBe('unchanged');
  });
  it('grows partitions', () => {
    const i = planTopic(topic({ partitions: 6 }), live());
    expect(i.action).toBe('update');
    expect(i.partitions).toEqual({ current: 3, desired: 6 });
    expect(i.refusals).toEqual([]);
  });
  it('refuses to shrink partitions, with an explanation', () => {
    const i = planTopic(topic({ partitions: 1 }), live());
    expect(i.refusals).toHaveLength(1);
    expect(i.refusals[0]).toMatch(/partitions only grow.*3 partitions.*asks for 1/);
  });
  it('refuses a replication factor change, with an explanation', () => {
    const i = planTopic(topic({ replicationFactor: 3 }), live());
    expect(i.refusals[0]).toMatch(/replication factor change refused.*reassign/);
  });
  it('updates a declared config that differs, sending the merged set and keeping undeclared ones', () => {
    const i = planTopic(
      topic({ configs: { 'retention.ms': '1000' } }),
      live({ dynamicConfigs: { 'retention.ms': '5', 'segment.ms': '3600000' } }),
    );
    expect(i.action).toBe('update');
    expect(i.configChanges).toEqual([{ name: 'retention.ms', from: '5', to: '1000' }]);
    expect(i.mergedConfigs).toEqual({ 'retention.ms': '1000', 'segment.ms': '3600000' });
    expect(i.undeclaredConfigs).toEqual({ 'segment.ms': '3600000' });
  });
  it('treats a declared config the topic does not set (broker default) as a change', () => {
    const i = planTopic(topic({ configs: { 'retention.ms': '1000' } }), live({ dynamicConfigs: {} }));
    expect(i.configChanges).toEqual([{ name: 'retention.ms', from: undefined, to: '1000' }]);
  });
  it('never resets an undeclared config: it is reported, not changed', () => {
    const i = planTopic(topic({ configs: {} }), live({ dynamicConfigs: { 'segment.ms': '1' } }));
    expect(i.action).toBe('unchanged');
    expect(i.undeclaredConfigs).toEqual({ 'segment.ms': '1' });
    expect(i.mergedConfigs).toBeUndefined();
  });
  it('refuses an update that would erase a sensitive config it cannot read back', () => {
    const i = planTopic(
      topic({ configs: { 'retention.ms': '1' } }),
      live({ dynamicConfigs: { secret: null } }),
    );
    expect(i.refusals[0]).toMatch(/sensitive/);
  });
});

describe('planChanges', () => {
  it('an empty cluster needs every topic and ACL', () => {
    const plan = planChanges(desired, { topicNames: [], topics: new Map(), acls: [] }, { policy });
    expect(plan.summary.topics.create).toBe(desired.topics.length);
    expect(plan.summary.acls.create).toBe(desired.acls.length);
    expect(plan.summary.pendingChanges).toBe(desired.topics.length + desired.acls.length);
    expect(planExitCode(plan)).toBe(2);
    expect(renderPlan(plan)).toContain('+ create       cdc.trades.mnpi');
  });
  it('an in-sync cluster has no changes (exit 0)', () => {
    const plan = planChanges(desired, inSync(), { policy });
    expect(plan.summary.pendingChanges).toBe(0);
    expect(planExitCode(plan)).toBe(0);
    expect(driftOf(plan)).toEqual([]);
    expect(renderPlan(plan)).toContain('in sync');
  });
  it('ignores topics and ACLs outside the managed prefix', () => {
    const c = inSync();
    c.topicNames.push('other.topic', '__consumer_offsets');
    c.acls.push({
      principal: 'User:x',
      host: '*',
      resourceType: 'TOPIC',
      resourceName: 'other.topic',
      patternType: 'LITERAL',
      operation: 'READ',
      permission: 'ALLOW',
    });
    const plan = planChanges(desired, c, { policy });
    expect(plan.summary.pendingChanges).toBe(0);
    expect(plan.topics.map((t) => t.topic)).not.toContain('other.topic');
  });
  it('never deletes without allowDelete: an extra managed topic is would-delete', () => {
    const c = inSync();
    c.topicNames.push('cdc.old.public');
    const plan = planChanges(desired, c, { policy });
    expect(plan.topics.find((t) => t.topic === 'cdc.old.public')?.action).toBe('would-delete');
    expect(plan.summary.pendingChanges).toBe(0);
    expect(driftOf(plan)).toEqual(['topic cdc.old.public: on the cluster under cdc. but not in the model']);
  });
  it('deletes an extra managed topic and ACL with allowDelete', () => {
    const c = inSync();
    c.topicNames.push('cdc.old.public');
    const extra: AclBinding = {
      principal: 'User:sink-public',
      host: '*',
      resourceType: 'TOPIC',
      resourceName: 'cdc.old.public',
      patternType: 'LITERAL',
      operation: 'READ',
      permission: 'ALLOW',
    };
    c.acls.push(extra);
    const plan = planChanges(desired, c, { policy, allowDelete: true });
    expect(plan.topics.find((t) => t.topic === 'cdc.old.public')?.action).toBe('delete');
    expect(plan.acls.find((a) => a.acl === extra)?.action).toBe('delete');
    expect(plan.summary.pendingChanges).toBe(2);
  });
  it('never deletes an ACL the running principal depends on', () => {
    const c = inSync();
    const own: AclBinding = {
      principal: 'User:bootstrapper',
      host: '*',
      resourceType: 'TOPIC',
      resourceName: 'cdc.',
      patternType: 'PREFIXED',
      operation: 'ALL',
      permission: 'ALLOW',
    };
    c.acls.push(own);
    const plan = planChanges(desired, c, {
      policy,
      allowDelete: true,
      runningPrincipal: 'User:bootstrapper',
    });
    const item = plan.acls.find((a) => a.acl === own);
    expect(item?.action).toBe('kept');
    expect(item?.reason).toContain('running principal');
  });
  it('blocks on a refusal (exit 1)', () => {
    const c = inSync();
    const t = c.topics.get('cdc.trades.mnpi') as LiveTopic;
    c.topics.set(t.name, { ...t, partitions: 12 });
    const plan = planChanges(desired, c, { policy });
    expect(plan.summary.refusals).toBe(1);
    expect(planExitCode(plan)).toBe(1);
    expect(renderPlan(plan)).toContain('REFUSED: partitions only grow');
  });
  it('reports a leaking live ACL it may not delete (exit 4) even when the model is clean', () => {
    const c = inSync();
    c.acls.push({
      principal: 'User:sink-public',
      host: '*',
      resourceType: 'TOPIC',
      resourceName: 'cdc.tr',
      patternType: 'PREFIXED',
      operation: 'READ',
      permission: 'ALLOW',
    });
    const plan = planChanges(desired, c, { policy });
    expect(plan.policy.desired).toEqual([]);
    expect(plan.policy.live.length).toBeGreaterThan(0);
    expect(planExitCode(plan)).toBe(4);
  });
  it('a leaking managed ACL removed by --allow-delete no longer counts', () => {
    const c = inSync();
    c.acls.push({
      principal: 'User:sink-public',
      host: '*',
      resourceType: 'TOPIC',
      resourceName: 'cdc.tr',
      patternType: 'PREFIXED',
      operation: 'READ',
      permission: 'ALLOW',
    });
    const plan = planChanges(desired, c, { policy, allowDelete: true });
    expect(plan.policy.live).toEqual([]);
    expect(planExitCode(plan)).toBe(2);
  });
  it('reports a leak in the model itself as desired violations', () => {
    const leaky = {
      ...desired,
      acls: [
        ...desired.acls,
        {
          principal: 'User:sink-public',
          host: '*',
          resourceType: 'TOPIC' as const,
          resourceName: 'cdc.trades.mnpi',
          patternType: 'LITERAL' as const,
          operation: 'READ' as const,
          permission: 'ALLOW' as const,
        },
      ],
    };
    const plan = planChanges(leaky, inSync(), { policy });
    expect(plan.policy.desired.length).toBe(1);
    expect(renderPlan(plan)).toContain("model's own ACLs break the MNPI policy");
  });
  it('drift lists partitions, configs and undeclared configs', () => {
    const c = inSync();
    const t = c.topics.get('cdc.orders.mnpi') as LiveTopic;
    c.topics.set(t.name, {
      ...t,
      partitions: 2,
      dynamicConfigs: { ...t.dynamicConfigs, 'retention.ms': '1', 'segment.ms': '60000' },
    });
    const drift = driftOf(planChanges(desired, c, { policy }));
    expect(drift).toEqual(
      expect.arrayContaining([
        'topic cdc.orders.mnpi: 2 partitions, the model says 3',
        'topic cdc.orders.mnpi: config retention.ms=1, the model says 604800000',
        'topic cdc.orders.mnpi: config segment.ms=60000 is set on the cluster but not declared in the model',
      ]),
    );
  });
});

describe('isManagedAcl', () => {
  const a = (resourceName: string, resourceType: AclBinding['resourceType'] = 'TOPIC'): AclBinding => ({
    principal: 'User:x',
    host: '*',
    resourceType,
    resourceName,
    patternType: 'PREFIXED',
    operation: 'READ',
    permission: 'ALLOW',
  });
  it('covers topic ACLs under the prefix only', () => {
    expect(isManagedAcl(a('cdc.tr'), 'cdc.')).toBe(true);
    expect(isManagedAcl(a('cdc'), 'cdc.')).toBe(false);
    expect(isManagedAcl(a('*'), 'cdc.')).toBe(false);
    expect(isManagedAcl(a('cdc.x', 'GROUP'), 'cdc.')).toBe(false);
  });
});

describe('exit codes', () => {
  const plan = planChanges(desired, inSync(), { policy });
  const report = (outcome: ApplyReport['outcome']): ApplyReport => ({
    plan,
    outcome,
    steps: [],
    adminRequests: {},
    seconds: 0,
  });
  it('apply', () => {
    expect(applyExitCode(report('applied'))).toBe(0);
    expect(applyExitCode(report('no-changes'))).toBe(0);
    expect(applyExitCode(report('refused'))).toBe(1);
    expect(applyExitCode(report('partial-failure'))).toBe(1);
    expect(applyExitCode(report('policy-violation'))).toBe(4);
  });
  it('verify: policy wins over drift', () => {
    const v = { plan, adminRequests: {} };
    expect(verifyExitCode({ ...v, drift: [], violations: [] })).toBe(0);
    expect(verifyExitCode({ ...v, drift: ['x'], violations: [] })).toBe(3);
    expect(verifyExitCode({ ...v, drift: ['x'], violations: [{} as never] })).toBe(4);
  });
});

export type { ClusterState };
