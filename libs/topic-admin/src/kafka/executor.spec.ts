import type { Admin } from 'kafkajs';
import type { AclBinding } from '@lakewall/platform-model';
import { silentLogger } from '../logger';
import type { Plan, TopicPlanItem } from '../types';
import { aclLabel, executePlan, revokeAcls } from './executor';
import { fromAclResources, toAclEntry } from './acl-codec';

/** An in-memory stand-in for the kafkajs admin calls the executor makes: a pure unit, no broker. */
function fakeAdmin(
  opts: { failCreateTopic?: string; existing?: string[]; unreachableOn?: string; aclLagReads?: number } = {},
) {
  const topics = new Set(opts.existing ?? []);
  const acls = new Map<string, ReturnType<typeof toAclEntry>>();
  let lag = opts.aclLagReads ?? 0;
  const calls: string[] = [];
  const unreachable = (op: string) => {
    if (opts.unreachableOn === op)
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  };
  const key = (e: ReturnType<typeof toAclEntry>) => JSON.stringify(e);
  const admin = {
    createTopics: async ({ topics: ts }: { topics: { topic: string }[] }) => {
      calls.push('createTopics');
      unreachable('createTopics');
      const errors = [];
      for (const t of ts) {
        if (t.topic === opts.failCreateTopic)
          errors.push({ topic: t.topic, type: 'INVALID_CONFIG', message: 'bad' });
        else if (topics.has(t.topic))
          errors.push({ topic: t.topic, type: 'TOPIC_ALREADY_EXISTS', message: 'exists' });
        else topics.add(t.topic);
      }
      if (errors.length) throw Object.assign(new Error('some failed'), { errors });
      return true;
    },
    fetchTopicMetadata: async ({ topics: ts }: { topics: string[] }) => ({
      topics: ts
        .filter((t) => topics.has(t))
        .map((name) => ({ name, partitions: [{ leader: 1, replicas: [1] }] })),
    }),
    createPartitions: async () => void calls.push('createPartitions'),
    alterConfigs: async () => void calls.push('alterConfigs'),
    createAcls: async ({ acl }: { acl: ReturnType<typeof toAclEntry>[] }) => {
      calls.push('createAcls');
      unreachable('createAcls');
      for (const a of acl) acls.set(key(a), a);
      lag = opts.aclLagReads ?? 0;
    },
    deleteAcls: async ({ filters }: { filters: ReturnType<typeof toAclEntry>[] }) => {
      calls.push('deleteAcls');
      unreachable('deleteAcls');
      for (const f of filters) acls.delete(key(f));
      lag = opts.aclLagReads ?? 0;
    },
    describeAcls: async () => {
      calls.push('describeAcls');
      // A KRaft broker shows ACL changes a moment after the controller accepts them.
      if (lag-- > 0) return { resources: [] };
      return {
        resources: [...acls.values()].map((a) => ({
          resourceType: a.resourceType,
          resourceName: a.resourceName,
          resourcePatternType: a.resourcePatternType,
          acls: [
            {
              principal: a.principal,
              host: a.host,
              operation: a.operation,
              permissionType: a.permissionType,
            },
          ],
        })),
      };
    },
    deleteTopics: async ({ topics: ts }: { topics: string[] }) => {
      calls.push('deleteTopics');
      for (const t of ts) topics.delete(t);
    },
  };
  return { admin: admin as unknown as Admin, calls, acls, topics };
}

const create = (topic: string): TopicPlanItem => ({
  topic,
  action: 'create',
  partitions: { desired: 3 },
  replicationFactor: { desired: 1 },
  configChanges: [],
  undeclaredConfigs: {},
  refusals: [],
});
const acl = (resourceName: string, over: Partial<AclBinding> = {}): AclBinding => ({
  principal: 'User:sink-mnpi',
  host: '*',
  resourceType: 'TOPIC',
  resourceName,
  patternType: 'LITERAL',
  operation: 'READ',
  permission: 'ALLOW',
  ...over,
});
const plan = (topics: TopicPlanItem[], acls: Plan['acls'] = []): Plan =>
  ({
    topics,
    acls,
    env: 'local',
    managedPrefix: 'cdc.',
    allowDelete: false,
    policy: { desired: [], live: [] },
    drift: [],
  }) as unknown as Plan;
const options = { brokers: ['127.0.0.1:1'], logger: silentLogger, pollMs: 1, aclPropagationTimeoutMs: 2000 };

describe('executePlan (fake admin)', () => {
  it('reports per-topic failures and keeps going; an existing topic counts as created', async () => {
    const f = fakeAdmin({ failCreateTopic: 'cdc.bad.public', existing: ['cdc.there.public'] });
    const steps = await executePlan(
      f.admin,
      plan(
        [create('cdc.a.public'), create('cdc.bad.public'), create('cdc.there.public')],
        [{ acl: acl('cdc.a.public'), action: 'create' }],
      ),
      options,
    );
    expect(steps.map((s) => [s.operation, s.target, s.status])).toEqual([
      ['createTopics', 'cdc.a.public', 'done'],
      ['createTopics', 'cdc.bad.public', 'failed'],
      ['createTopics', 'cdc.there.public', 'done'],
      ['createAcls', aclLabel(acl('cdc.a.public')), 'done'],
    ]);
    expect(steps[1].error).toBe('INVALID_CONFIG: bad');
  });

  it('does not write ACLs for a topic that could not be created', async () => {
    const f = fakeAdmin({ failCreateTopic: 'cdc.bad.public' });
    const steps = await executePlan(
      f.admin,
      plan([create('cdc.bad.public')], [{ acl: acl('cdc.bad.public'), action: 'create' }]),
      options,
    );
    expect(steps[1]).toEqual({
      operation: 'createAcls',
      target: aclLabel(acl('cdc.bad.public')),
      status: 'not-attempted',
      error: 'its topic cdc.bad.public was not created',
    });
    expect(f.acls.size).toBe(0);
  });

  it('stops at an unreachable cluster: later steps are not attempted', async () => {
    const f = fakeAdmin({ unreachableOn: 'createAcls' });
    const steps = await executePlan(
      f.admin,
      plan(
        [{ ...create('cdc.gone.public'), action: 'delete' }],
        [
          { acl: acl('cdc.a.public'), action: 'create' },
          { acl: acl('cdc.b.public'), action: 'delete' },
        ],
      ),
      options,
    );
    expect(steps.map((s) => [s.operation, s.status])).toEqual([
      ['createAcls', 'failed'],
      ['deleteAcls', 'not-attempted'],
      ['deleteTopics', 'not-attempted'],
    ]);
    expect(f.calls).not.toContain('deleteTopics');
  });

  it('waits until created ACLs are visible on the broker before returning', async () => {
    const f = fakeAdmin({ aclLagReads: 3 });
    await executePlan(f.admin, plan([], [{ acl: acl('cdc.a.public'), action: 'create' }]), options);
    expect(f.calls.filter((c) => c === 'describeAcls').length).toBe(4);
  });

  it('revokes leaking ACLs (USER and CREATE_TOKENS included) and waits until they are gone', async () => {
    const f = fakeAdmin({ aclLagReads: 0 });
    const token = acl('User:debezium', {
      principal: 'User:sink-public',
      resourceType: 'USER',
      operation: 'CREATE_TOKENS',
    });
    await executePlan(f.admin, plan([], [{ acl: token, action: 'create' }]), options);
    expect(f.acls.size).toBe(1);
    const steps = await revokeAcls(f.admin, [token], options);
    expect(steps).toEqual([{ operation: 'revokeAcls', target: aclLabel(token), status: 'done' }]);
    expect(f.acls.size).toBe(0);
  });
});

describe('ACL codec', () => {
  it('round-trips every resource type and operation through kafkajs codes', () => {
    const token = acl('User:debezium', {
      resourceType: 'USER',
      operation: 'CREATE_TOKENS',
      permission: 'DENY',
      patternType: 'PREFIXED',
    });
    const e = toAclEntry(token);
    expect([e.resourceType, e.operation]).toEqual([7, 13]);
    const back = fromAclResources([
      {
        resourceType: e.resourceType,
        resourceName: e.resourceName,
        resourcePatternType: e.resourcePatternType,
        acls: [
          { principal: e.principal, host: e.host, operation: e.operation, permissionType: e.permissionType },
        ],
      },
    ]);
    expect(back).toEqual([token]);
  });
  it('refuses to ignore an ACL it cannot decode (fail closed)', () => {
    expect(() =>
      fromAclResources([
        {
          resourceType: 99,
          resourceName: 'x',
          resourcePatternType: 3,
          acls: [{ principal: 'User:x', host: '*', operation: 3, permissionType: 3 }],
        },
      ]),
    ).toThrow(/cannot decode.*refusing/);
  });
});
