import {
  deriveCdcTopics,
  loadPlatformModel,
  topicConfigDefs,
  type PlatformModel,
} from '@lakewall/platform-model';
import { ConfigResourceTypes, type KafkaConfig } from 'kafkajs';
import { ApplyFailedError, applyModel, desiredStateOf, planModel, verifyModel } from '../src/engine';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { ClusterMismatchError } from '../src/kafka/cluster-identity';
import { acquireClusterLock, ClusterLockHeldError } from '../src/kafka/cluster-lock';
import { openSession } from '../src/kafka/session';
import { readAcls } from '../src/kafka/admin-ops';
import { KafkaAccessError } from '../src/kafka/errors';
import { addAcl, cleanupPrefix, leakingPrefixedRead, removeAcl, testPrefix, withAdmin } from '../src/testing';
import {
  adminConfig,
  partitionsOf,
  setConfigOutOfBand,
  topicConfigs,
  variantModel,
  withLocalPartitions,
} from './kafka-fixtures';

/**
 * Every test works on its own managed prefix (its own topics and topic ACLs) and sets up what it
 * needs itself, so the tests run in any order.
 */
let kafka: KafkaConfig;
const prefixes: string[] = [];
beforeAll(async () => {
  kafka = await adminConfig();
});
afterAll(async () => {
  for (const p of prefixes) await cleanupPrefix(p);
});

const run = (model: PlatformModel, extra: { allowDelete?: boolean } = {}) => ({
  model,
  env: 'local' as const,
  kafka,
  ...extra,
});

/** A fresh prefix and its variant model; applied unless `apply` is false. */
async function fresh(kind: string, apply = true): Promise<{ prefix: string; model: PlatformModel }> {
  const prefix = testPrefix(kind);
  prefixes.push(prefix);
  const model = variantModel(prefix);
  if (apply) await applyModel(run(model));
  return { prefix, model };
}

describe('plan / apply / idempotency against the local Kafka', () => {
  it('plans everything on an empty prefix, applies it, and then has nothing to do', async () => {
    const { model } = await fresh('idem', false);
    const first = await planModel(run(model));
    // one topic per table and zone it publishes to, the sinks' control topics and the audit topic
    expect(first.summary.topics.create).toBe(desiredStateOf(model, 'local').topics.length);
    expect(first.summary.acls.create).toBeGreaterThan(0);

    const applied = await applyModel(run(model));
    expect(applied.outcome).toBe('applied');
    expect(applied.steps.every((s) => s.status === 'done')).toBe(true);

    const second = await planModel(run(model));
    expect(second.summary).toMatchObject({
      pendingChanges: 0,
      blockedDeletions: 0,
      drift: 0,
      policyViolations: 0,
    });

    const again = await applyModel(run(model));
    expect(again.outcome).toBe('no-changes');
    expect(again.adminRequests.createTopics ?? 0).toBe(0);
    expect(again.adminRequests.createAcls ?? 0).toBe(0);

    const verified = await verifyModel(run(model));
    expect(verified.drift).toEqual([]);
    expect(verified.violations).toEqual([]);
  });

  it('grows partitions and refuses to shrink them, writing nothing', async () => {
    const { prefix, model } = await fresh('parts');
    const topic = `${prefix}trades.mnpi`;
    const grown = withLocalPartitions(model, 4);
    const plan = await planModel(run(grown));
    expect(plan.topics.find((t) => t.topic === topic)?.partitions).toEqual({ current: 3, desired: 4 });
    expect((await applyModel(run(grown))).outcome).toBe('applied');
    expect(await partitionsOf(topic)).toBe(4);

    const shrunk = withLocalPartitions(model, 2);
    // One refusal per CDC topic (the control, audit and findings topics have one partition).
    expect((await planModel(run(shrunk))).summary.refusals).toBe(deriveCdcTopics(model, 'local').length);
    await expect(applyModel(run(shrunk))).rejects.toThrow(/partitions only grow/);
    const report = await applyModel({ ...run(shrunk), throwOnFailure: false });
    expect(report.outcome).toBe('refused');
    expect(report.steps).toEqual([]);
    expect(await partitionsOf(topic)).toBe(4);
  });

  it('keeps an undeclared topic config (set out of band) when it applies a declared change', async () => {
    const { prefix, model } = await fresh('cfg');
    const topic = `${prefix}orders.mnpi`;
    await setConfigOutOfBand(topic, 'segment.ms', '3600000');

    const drifted = await verifyModel(run(model));
    expect(drifted.drift.map((d) => d.message)).toEqual([
      `topic ${topic}: config segment.ms=3600000 is set on the cluster but not declared in the model`,
    ]);

    const changed = structuredClone(model);
    changed.kafka.topicClasses.cdc.configs['retention.ms'] = '86400000';
    const item = (await planModel(run(changed))).topics.find((t) => t.topic === topic);
    expect(item?.configChanges).toEqual([{ name: 'retention.ms', from: '604800000', to: '86400000' }]);
    expect(item?.mergedConfigs?.['segment.ms']).toBe('3600000');

    expect((await applyModel(run(changed))).outcome).toBe('applied');
    const after = await topicConfigs(topic);
    expect(after['retention.ms']).toBe('86400000');
    expect(after['segment.ms']).toBe('3600000'); // survived the (replacing) AlterConfigs
    expect(after['compression.type']).toBe('zstd');
  });
});

describe('MNPI policy against live ACLs', () => {
  it('verify and plan report a live PREFIXED READ on an MNPI topic; apply without --allow-delete only shows the revocation', async () => {
    const { prefix, model } = await fresh('leak');
    const leak = leakingPrefixedRead(prefix);
    await addAcl(leak);
    try {
      const report = await verifyModel(run(model));
      const v = report.violations.find(
        (x) => x.kind === 'read' && x.resource.name === `${prefix}trades.mnpi`,
      );
      expect(v?.principal).toBe('User:sink-public');
      expect(v?.grantedBy).toEqual([leak]);
      expect(v?.message).toContain(`PREFIXED "${prefix}tr"`);
      expect(report.violations.some((x) => x.kind === 'prefix-capture')).toBe(true);
      expect(
        (await planModel(run(model))).acls.find((a) => a.acl.resourceName === leak.resourceName)?.action,
      ).toBe('would-revoke');

      const shown = await applyModel({ ...run(model), throwOnFailure: false });
      expect(shown.revocation).toMatchObject({ revoked: 0, attempted: false });
      expect(shown.revocation.violations.length).toBeGreaterThan(0);
      expect((await verifyModel(run(model))).violations.length).toBeGreaterThan(0);

      const revoked = await applyModel({ ...run(model, { allowDelete: true }), throwOnFailure: false });
      expect(revoked.steps.filter((s) => s.operation === 'revokeAcls' && s.status === 'done')).toHaveLength(
        1,
      );
      const after = await verifyModel(run(model));
      expect(after.violations).toEqual([]);
      expect(after.drift).toEqual([]);
    } finally {
      await removeAcl(leak);
    }
  });

  it('a refused change never hides a live leak: apply --allow-delete revokes it first, and refuses the rest', async () => {
    const { prefix, model } = await fresh('hide');
    const leak = leakingPrefixedRead(prefix);
    await addAcl(leak);
    try {
      const shrunk = withLocalPartitions(model, 2);
      const report = await applyModel({ ...run(shrunk, { allowDelete: true }), throwOnFailure: false });
      expect(report.outcome).toBe('refused');
      expect(report.revocation.violations.map((v) => v.kind)).toEqual(
        expect.arrayContaining(['read', 'prefix-capture']),
      );
      expect(report.steps).toEqual([expect.objectContaining({ operation: 'revokeAcls', status: 'done' })]);
      expect((await verifyModel(run(model))).violations).toEqual([]);
      expect(await partitionsOf(`${prefix}trades.mnpi`)).toBe(3);
    } finally {
      await removeAcl(leak);
    }
  });

  it('rejects a model whose own ACLs would leak, before connecting or writing anything', async () => {
    const { model } = await fresh('own', false);
    const leaky = structuredClone(model);
    leaky.principals['sink-public'].kafka = {
      consume: { zones: ['public', 'mnpi'], group: 'connect-lakewall-sink-public' },
    };
    const before = await withAdmin((a) => a.listTopics());
    await expect(applyModel(run(leaky))).rejects.toBeInstanceOf(ApplyFailedError);
    const offline = await applyModel({
      ...run(leaky),
      kafka: { brokers: ['127.0.0.1:1'] },
      throwOnFailure: false,
    });
    expect(offline.outcome).toBe('policy-violation');
    expect(
      offline.plan.policy.desired.some((v) => v.principal === 'User:sink-public' && v.kind === 'read'),
    ).toBe(true);
    expect(await withAdmin((a) => a.listTopics())).toEqual(before);
  });
});

describe('the right cluster', () => {
  it('refuses to act on a cluster other than the one the environment names, writing nothing', async () => {
    const { model } = await fresh('other', false);
    const before = await withAdmin((a) => a.listTopics());
    const err = await applyModel({
      ...run(model),
      cluster: { id: 'AAAAAAAAAAAAAAAAAAAAAA', source: 'a test' },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterMismatchError);
    expect((err as Error).message).toMatch(
      /manages cluster AAAAAAAAAAAAAAAAAAAAAA \(a test\), but .* is cluster \S+; refusing/,
    );
    expect(await withAdmin((a) => a.listTopics())).toEqual(before);
  });
});

describe('errors', () => {
  it('a closed port gives one clear error line', async () => {
    const { model } = await fresh('port', false);
    const err = await planModel({
      ...run(model),
      kafka: {
        brokers: ['127.0.0.1:1'],
        sasl: { mechanism: 'scram-sha-512', username: 'admin', password: 'x' },
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaAccessError);
    expect((err as KafkaAccessError).kind).toBe('unreachable');
    expect((err as Error).message).toMatch(/^Cannot reach Kafka at 127\.0\.0\.1:1: .*ECONNREFUSED/);
    expect((err as Error).message).not.toContain('\n');
  });

  it('refused credentials give one clear error line', async () => {
    const { model } = await fresh('creds', false);
    const err = await planModel({
      ...run(model),
      kafka: { ...kafka, sasl: { mechanism: 'scram-sha-512', username: 'admin', password: 'wrong' } },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaAccessError);
    expect((err as KafkaAccessError).kind).toBe('authentication');
    expect((err as Error).message).toContain("refused the credentials of user 'admin'");
  });

  it('a partial apply reports what was and was not done, writes no grant for a topic it could not create, and the next apply converges', async () => {
    const { prefix, model: good } = await fresh('partial', false);
    // A model that slipped past validation (the loader refuses this value).
    const bad = structuredClone(good);
    bad.kafka.topicClasses.cdc.configs['max.message.bytes'] = 'not-a-number';
    const report = await applyModel({ ...run(bad), throwOnFailure: false });
    expect(report.outcome).toBe('partial-failure');
    // only the cdc class has the bad config: the control and audit topics are created
    const cdc = new Set(deriveCdcTopics(good, 'local').map((t) => t.name));
    const created = report.steps.filter((s) => s.operation === 'createTopics' && cdc.has(s.target));
    expect(created).toHaveLength(cdc.size);
    expect(
      created.every(
        (s) => s.status === 'failed' && /INVALID_CONFIG|max\.message\.bytes/i.test(s.error ?? ''),
      ),
    ).toBe(true);
    // Grants on the CDC topics that could not be created (not on the control and audit topics).
    const topicGrants = report.steps.filter(
      (s) => s.operation === 'createAcls' && [...cdc].some((t) => s.target.includes(`TOPIC:LITERAL:${t} `)),
    );
    expect(topicGrants.length).toBeGreaterThan(0);
    expect(topicGrants.every((s) => s.status === 'not-attempted')).toBe(true);
    const grants = await withAdmin((a) => readAcls(a));
    expect(grants.filter((g) => g.resourceName === `${prefix}trades.mnpi`)).toEqual([]);

    const next = await applyModel(run(good));
    expect(next.outcome).toBe('applied');
    expect(
      next.steps.filter(
        (s) =>
          s.operation === 'createTopics' && s.status === 'done' && s.target !== good.kafka.auditTopic.name,
      ),
    ).toHaveLength(cdc.size);
    expect((await planModel(run(good))).summary.pendingChanges).toBe(0);
  });
});

describe("the kept topic config definitions match the broker's", () => {
  it('every topic config the broker describes is kept, and every kept one is described', async () => {
    const { prefix } = await fresh('defs');
    const described = await withAdmin(async (a) => {
      const res = await a.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: `${prefix}trades.mnpi` }],
      });
      return res.resources[0].configEntries.map((e) => e.configName).sort();
    });
    const kept = (topicConfigDefs(loadPlatformModel().kafka.version) ?? []).map((d) => d.name).sort();
    expect(kept).toEqual(described);
  });
});

describe('one writer per cluster', () => {
  it('a second apply while one holds the cluster lock is refused, writing nothing', async () => {
    const { model } = await fresh('lock', false);
    const session = await openSession({ kafka });
    const lock = await acquireClusterLock(session.kafka, session.admin, {
      name: model.kafka.applyLock,
      replicationFactor: 1,
    });
    try {
      const before = await withAdmin((a) => a.listTopics());
      const err = await applyModel(run(model)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ClusterLockHeldError);
      expect((err as Error).message).toMatch(
        /another apply holds the cluster lock _lakewall\.bootstrapper\.lock .*nothing was written/,
      );
      expect(await withAdmin((a) => a.listTopics())).toEqual(before);
    } finally {
      await lock.release();
      await session.close();
    }
    expect((await applyModel(run(model))).outcome).toBe('applied');
  });

  it('a holder that crashes (SIGKILL) loses the lock after its session timeout', async () => {
    const { model } = await fresh('crash', false);
    const holder = spawn(
      process.execPath,
      // One process (tsx's CLI would fork a second one that SIGKILL does not reach).
      ['--require', 'tsx/cjs', path.join(__dirname, 'hold-lock.ts'), model.kafka.applyLock],
      { env: process.env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
      holder.on('exit', (code) => reject(new Error(`the lock holder exited ${code}`)));
    });
    await expect(applyModel(run(model))).rejects.toBeInstanceOf(ClusterLockHeldError);
    holder.kill('SIGKILL');
    await pollUntil(
      async () => (await applyModel({ ...run(model), throwOnFailure: false })).outcome === 'applied',
      30_000,
    );
  });
});

async function pollUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await check().catch(() => false);
    if (ok) return;
    if (Date.now() > until) throw new Error(`not true within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
