import { deriveAcls, loadPlatformModel, type AclBinding, type DesiredTopic } from '@lakewall/platform-model';
import { desiredStateOf } from './engine';
import { isManagedAcl, planChanges, planTopic } from './planner';
import { policyContextFor } from './policy/mnpi-policy';
import type { LiveTopic } from './types';

const model = loadPlatformModel();
const desired = desiredStateOf(model, 'local');
const { mnpiTopics: _unused, ...policy } = policyContextFor(model, [], 'local');

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

const allow = (over: Partial<AclBinding>): AclBinding => ({
  principal: 'User:sink-public',
  host: '*',
  resourceType: 'TOPIC',
  resourceName: 'cdc.old.public',
  patternType: 'LITERAL',
  operation: 'READ',
  permission: 'ALLOW',
  ...over,
});
const driftMessages = (c: ReturnType<typeof inSync>, allowDelete = false) =>
  planChanges(desired, c, { policy, allowDelete }).drift.map((d) => d.message);

describe('planChanges', () => {
  it('an empty cluster needs every topic and ACL', () => {
    const plan = planChanges(desired, { topicNames: [], topics: new Map(), acls: [] }, { policy });
    expect(plan.summary.topics.create).toBe(desired.topics.length);
    expect(plan.summary.acls.create).toBe(desired.acls.length);
    expect(plan.summary.pendingChanges).toBe(desired.topics.length + desired.acls.length);
  });
  it('an in-sync cluster has no changes, no drift, no violations', () => {
    const plan = planChanges(desired, inSync(), { policy });
    expect(plan.summary).toMatchObject({
      pendingChanges: 0,
      blockedDeletions: 0,
      drift: 0,
      policyViolations: 0,
    });
    expect(plan.drift).toEqual([]);
  });
  it("ignores other teams' topics and their ACLs", () => {
    const c = inSync();
    c.topicNames.push('clickstream', 'cdcx.keepme', '__consumer_offsets');
    c.acls.push(allow({ principal: 'User:x', resourceName: 'clickstream' }));
    const plan = planChanges(desired, c, { policy, allowDelete: true });
    expect(plan.summary.pendingChanges).toBe(0);
    expect(plan.topics.map((t) => t.topic)).not.toEqual(
      expect.arrayContaining(['clickstream', 'cdcx.keepme']),
    );
    expect(plan.acls.map((a) => a.acl.resourceName)).not.toContain('clickstream');
  });
  it('never deletes without allowDelete: an extra managed topic is would-delete and drift', () => {
    const c = inSync();
    c.topicNames.push('cdc.old.public');
    const plan = planChanges(desired, c, { policy });
    expect(plan.topics.find((t) => t.topic === 'cdc.old.public')?.action).toBe('would-delete');
    expect(plan.summary).toMatchObject({ pendingChanges: 0, blockedDeletions: 1 });
    expect(plan.drift).toEqual([
      {
        kind: 'topic-undeclared',
        topic: 'cdc.old.public',
        message: 'topic cdc.old.public: on the cluster under cdc. but not in the model',
      },
    ]);
  });
  it('deletes an extra managed topic and ACL with allowDelete', () => {
    const c = inSync();
    c.topicNames.push('cdc.old.public');
    const extra = allow({});
    c.acls.push(extra);
    const plan = planChanges(desired, c, { policy, allowDelete: true });
    expect(plan.topics.find((t) => t.topic === 'cdc.old.public')?.action).toBe('delete');
    expect(plan.acls.find((a) => a.acl === extra)?.action).toBe('delete');
    expect(plan.summary.pendingChanges).toBe(2);
  });
  it('reconciles GROUP, CLUSTER and TRANSACTIONAL_ID ACLs of model principals, not only topics', () => {
    const c = inSync();
    const group = allow({ resourceType: 'GROUP', resourceName: 'some-group', principal: 'User:monitor' });
    const txn = allow({
      resourceType: 'TRANSACTIONAL_ID',
      resourceName: 'tx',
      operation: 'WRITE',
      principal: 'User:debezium',
    });
    c.acls.push(group, txn);
    expect(driftMessages(c).sort()).toEqual([
      'ACL on the cluster that the model does not declare: ALLOW READ GROUP LITERAL "some-group" for User:monitor@*',
      'ACL on the cluster that the model does not declare: ALLOW WRITE TRANSACTIONAL_ID LITERAL "tx" for User:debezium@*',
    ]);
    const plan = planChanges(desired, c, { policy, allowDelete: true });
    expect(plan.acls.filter((a) => a.action === 'delete').map((a) => a.acl)).toEqual(
      expect.arrayContaining([group, txn]),
    );
    expect(plan.summary.acls.delete).toBe(2);
  });
  it("reconciles any principal's ACL on a resource the model owns (its groups, the cluster)", () => {
    const c = inSync();
    const stranger = allow({
      principal: 'User:stranger',
      resourceType: 'GROUP',
      resourceName: 'connect-lakewall-sink-public',
    });
    c.acls.push(stranger);
    expect(driftMessages(c)).toHaveLength(1);
  });
  it('a missing GROUP or CLUSTER ACL of the model is created', () => {
    const c = inSync();
    c.acls = c.acls.filter((a) => a.resourceType !== 'GROUP');
    const plan = planChanges(desired, c, { policy });
    expect(plan.summary.acls.create).toBe(desired.acls.filter((a) => a.resourceType === 'GROUP').length);
    expect(plan.drift.every((d) => d.kind === 'acl-missing')).toBe(true);
  });
  it('never deletes an ACL the running principal depends on', () => {
    const c = inSync();
    const own = allow({
      principal: 'User:bootstrapper',
      resourceName: 'cdc.',
      patternType: 'PREFIXED',
      operation: 'ALL',
    });
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
  it('counts a refusal', () => {
    const c = inSync();
    const t = c.topics.get('cdc.trades.mnpi') as LiveTopic;
    c.topics.set(t.name, { ...t, partitions: 12 });
    expect(planChanges(desired, c, { policy }).summary.refusals).toBe(1);
  });
  it('a leaking live ACL is a live violation and a would-revoke, even when the model is clean', () => {
    const c = inSync();
    const leak = allow({ resourceName: 'cdc.tr', patternType: 'PREFIXED' });
    c.acls.push(leak);
    const plan = planChanges(desired, c, { policy });
    expect(plan.policy.desired).toEqual([]);
    expect(plan.policy.live.map((v) => v.kind)).toEqual(['read', 'prefix-capture']);
    expect(plan.acls.find((a) => a.acl === leak)?.action).toBe('would-revoke');
    expect(plan.summary.blockedDeletions).toBe(1);
  });
  it('with allowDelete the leaking ACL is revoked, and it still counts as a live violation found', () => {
    const c = inSync();
    const leak = allow({ resourceType: 'CLUSTER', resourceName: 'kafka-cluster', operation: 'ALTER' });
    c.acls.push(leak);
    const plan = planChanges(desired, c, { policy, allowDelete: true });
    expect(plan.acls.find((a) => a.acl === leak)?.action).toBe('revoke');
    expect(plan.policy.live).toHaveLength(1);
    expect(plan.policy.live[0].kind).toBe('escalation');
  });
  it("revokes a leaking ACL even outside what the bootstrapper manages (another team's prefix)", () => {
    const c = inSync();
    const leak = allow({ principal: 'User:stranger', resourceName: 'c', patternType: 'PREFIXED' });
    c.acls.push(leak);
    expect(
      planChanges(desired, c, { policy, allowDelete: true }).acls.find((a) => a.acl === leak)?.action,
    ).toBe('revoke');
  });
  it('reports a leak in the model itself as desired violations', () => {
    const leaky = { ...desired, acls: [...desired.acls, allow({ resourceName: 'cdc.trades.mnpi' })] };
    const plan = planChanges(leaky, inSync(), { policy });
    expect(plan.policy.desired.map((v) => v.kind)).toEqual(['read']);
    expect(plan.policy.live).toEqual([]);
  });
  it('drift lists partitions, configs and undeclared configs', () => {
    const c = inSync();
    const t = c.topics.get('cdc.orders.mnpi') as LiveTopic;
    c.topics.set(t.name, {
      ...t,
      partitions: 2,
      dynamicConfigs: { ...t.dynamicConfigs, 'retention.ms': '1', 'segment.ms': '60000' },
    });
    const plan = planChanges(desired, c, { policy });
    expect(plan.drift.map((d) => d.kind)).toEqual(['partitions', 'config', 'config-undeclared']);
    expect(plan.drift.map((d) => d.message)).toEqual([
      'topic cdc.orders.mnpi: 2 partitions, the model says 3',
      'topic cdc.orders.mnpi: config retention.ms=1, the model says 604800000',
      'topic cdc.orders.mnpi: config segment.ms=60000 is set on the cluster but not declared in the model',
    ]);
  });
});

describe('isManagedAcl', () => {
  const a = (over: Partial<AclBinding>): AclBinding =>
    allow({ principal: 'User:x', patternType: 'PREFIXED', ...over });
  it('covers topic ACLs under the prefix', () => {
    expect(isManagedAcl(a({ resourceName: 'cdc.tr' }), desired)).toBe(true);
    expect(isManagedAcl(a({ resourceName: 'cdc' }), desired)).toBe(false);
    expect(isManagedAcl(a({ resourceName: '*', patternType: 'LITERAL' }), desired)).toBe(false);
  });
  it("covers non-topic ACLs of model principals, and any ACL on the model's own resources", () => {
    expect(
      isManagedAcl(a({ resourceType: 'GROUP', resourceName: 'x', principal: 'User:monitor' }), desired),
    ).toBe(true);
    expect(isManagedAcl(a({ resourceType: 'GROUP', resourceName: 'x' }), desired)).toBe(false);
    expect(
      isManagedAcl(
        a({ resourceType: 'CLUSTER', resourceName: 'kafka-cluster', patternType: 'LITERAL' }),
        desired,
      ),
    ).toBe(true);
  });
  it("leaves a model principal's grants on other teams' topics alone", () => {
    expect(isManagedAcl(a({ resourceName: 'clickstream', principal: 'User:monitor' }), desired)).toBe(false);
  });
});
