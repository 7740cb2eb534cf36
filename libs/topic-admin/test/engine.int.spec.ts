import type { PlatformModel } from '@lakewall/platform-model';
import { loadPlatformModel } from '@lakewall/platform-model';
import type { KafkaConfig } from 'kafkajs';
import { ApplyFailedError, applyModel, planModel, verifyModel } from '../src/engine';
import { KafkaAccessError } from '../src/kafka/errors';
import { planExitCode, verifyExitCode } from '../src/render';
import { addAcl, cleanupPrefix, leakingPrefixedRead, removeAcl, testPrefix, withAdmin } from '../src/testing';
import {
  adminConfig,
  partitionsOf,
  setConfigOutOfBand,
  topicConfigs,
  variantModel,
  withLocalPartitions,
} from './kafka-fixtures';

const prefix = testPrefix();
let model: PlatformModel;
let kafka: KafkaConfig;

beforeAll(async () => {
  model = variantModel(prefix);
  kafka = await adminConfig();
});
afterAll(async () => {
  await cleanupPrefix(prefix);
});

const run = (m: PlatformModel = model, extra: { allowDelete?: boolean } = {}) => ({
  model: m,
  env: 'local' as const,
  kafka,
  ...extra,
});

describe('plan / apply / idempotency against the local Kafka', () => {
  it('plans everything on an empty prefix, applies it, and then has nothing to do', async () => {
    const first = await planModel(run());
    // one topic per table, plus the audit topic
    expect(first.summary.topics.create).toBe(Object.keys(model.tables).length + 1);
    expect(first.summary.acls.create).toBeGreaterThan(0);
    expect(planExitCode(first)).toBe(2);

    const applied = await applyModel(run());
    expect(applied.outcome).toBe('applied');
    expect(applied.steps.every((s) => s.status === 'done')).toBe(true);

    const second = await planModel(run());
    expect(second.summary.pendingChanges).toBe(0);
    expect(planExitCode(second)).toBe(0);

    const again = await applyModel(run());
    expect(again.outcome).toBe('no-changes');
    expect(again.adminRequests.createTopics ?? 0).toBe(0);
    expect(again.adminRequests.createAcls ?? 0).toBe(0);

    const verified = await verifyModel(run());
    expect(verified.drift).toEqual([]);
    expect(verified.violations).toEqual([]);
    expect(verifyExitCode(verified)).toBe(0);
  });

  it('grows partitions and refuses to shrink them, writing nothing', async () => {
    const topic = `${prefix}trades.mnpi`;
    const grown = withLocalPartitions(model, 4);
    const plan = await planModel(run(grown));
    expect(plan.topics.find((t) => t.topic === topic)?.partitions).toEqual({ current: 3, desired: 4 });
    expect((await applyModel(run(grown))).outcome).toBe('applied');
    expect(await partitionsOf(topic)).toBe(4);

    const shrunk = withLocalPartitions(model, 2);
    const refused = await planModel(run(shrunk));
    expect(refused.summary.refusals).toBe(5);
    expect(planExitCode(refused)).toBe(1);
    await expect(applyModel(run(shrunk))).rejects.toThrow(/partitions only grow/);
    const report = await applyModel({ ...run(shrunk), throwOnFailure: false });
    expect(report.outcome).toBe('refused');
    expect(report.steps).toEqual([]);
    expect(await partitionsOf(topic)).toBe(4);
    model = grown; // the cluster now matches the grown model
  });

  it('keeps an undeclared topic config (set out of band) when it applies a declared change', async () => {
    const topic = `${prefix}orders.mnpi`;
    await setConfigOutOfBand(topic, 'segment.ms', '3600000');
    expect((await topicConfigs(topic))['segment.ms']).toBe('3600000');

    // verify reports it as drift (exit 3), apply alone never resets it
    const drifted = await verifyModel(run());
    expect(drifted.drift).toContain(
      `topic ${topic}: config segment.ms=3600000 is set on the cluster but not declared in the model`,
    );
    expect(verifyExitCode(drifted)).toBe(3);

    const changed = structuredClone(model);
    changed.kafka.topicClasses.cdc.configs['retention.ms'] = '86400000';
    const plan = await planModel(run(changed));
    const item = plan.topics.find((t) => t.topic === topic);
    expect(item?.configChanges).toEqual([{ name: 'retention.ms', from: '604800000', to: '86400000' }]);
    expect(item?.mergedConfigs?.['segment.ms']).toBe('3600000');

    expect((await applyModel(run(changed))).outcome).toBe('applied');
    const after = await topicConfigs(topic);
    expect(after['retention.ms']).toBe('86400000');
    expect(after['segment.ms']).toBe('3600000'); // survived the (replacing) AlterConfigs
    expect(after['compression.type']).toBe('zstd');
    expect(after['min.insync.replicas']).toBe('1');

    // back to the model's value: converges, segment.ms still kept
    expect((await applyModel(run())).outcome).toBe('applied');
    expect((await topicConfigs(topic))['segment.ms']).toBe('3600000');
    expect((await planModel(run())).summary.pendingChanges).toBe(0);
  });
});

describe('MNPI policy against live ACLs', () => {
  it('verify catches a PREFIXED READ on the MNPI trades topic for sink-public (exit 4), naming principal, topic and ACL', async () => {
    const leak = leakingPrefixedRead(prefix);
    await addAcl(leak);
    try {
      const report = await verifyModel(run());
      expect(verifyExitCode(report)).toBe(4);
      const v = report.violations.find(
        (x) => x.kind === 'effective-access' && x.topic === `${prefix}trades.mnpi`,
      );
      expect(v?.principal).toBe('User:sink-public');
      expect(v?.message).toContain('User:sink-public');
      expect(v?.message).toContain(`${prefix}trades.mnpi`);
      expect(v?.message).toContain(`PREFIXED "${prefix}tr"`);
      expect(report.violations.some((x) => x.kind === 'prefix-capture')).toBe(true);
      // plan reports it too, and an apply without --allow-delete leaves it (exit 4 after applying)
      expect(planExitCode(await planModel(run()))).toBe(4);
      // with --allow-delete the leak is inside the managed prefix and is removed
      const cleaned = await applyModel(run(model, { allowDelete: true }));
      expect(cleaned.steps.filter((s) => s.operation === 'deleteAcls' && s.status === 'done')).toHaveLength(
        1,
      );
      const after = await verifyModel(run());
      expect(after.violations).toEqual([]);
      // only the undeclared segment.ms from the previous test remains as drift
      expect(after.drift).toEqual([
        `topic ${prefix}orders.mnpi: config segment.ms=3600000 is set on the cluster but not declared in the model`,
      ]);
      expect(verifyExitCode(after)).toBe(3);
    } finally {
      await removeAcl(leak);
    }
  });

  it('rejects a model whose own ACLs would leak, before connecting or writing anything', async () => {
    const leaky = structuredClone(model);
    // Simulates a model that slipped past validation: a public principal consuming the MNPI zone.
    leaky.principals['sink-public'].kafka = {
      consume: { zones: ['public', 'mnpi'], group: 'connect-lakewall-sink-public' },
    };
    const before = await withAdmin((a) => a.listTopics());
    await expect(applyModel(run(leaky))).rejects.toBeInstanceOf(ApplyFailedError);
    // Not even a connection is needed to refuse it:
    const offline = await applyModel({
      ...run(leaky),
      kafka: { brokers: ['127.0.0.1:1'] },
      throwOnFailure: false,
    });
    expect(offline.outcome).toBe('policy-violation');
    expect(
      offline.plan.policy.desired.some(
        (v) => v.principal === 'User:sink-public' && v.topic === `${prefix}trades.mnpi`,
      ),
    ).toBe(true);
    expect(await withAdmin((a) => a.listTopics())).toEqual(before);
  });
});

describe('errors', () => {
  it('a closed port gives one clear error line, quickly', async () => {
    const started = Date.now();
    const err = await planModel({
      ...run(),
      kafka: {
        brokers: ['127.0.0.1:1'],
        sasl: { mechanism: 'scram-sha-512', username: 'admin', password: 'x' },
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaAccessError);
    expect((err as KafkaAccessError).kind).toBe('unreachable');
    expect((err as Error).message).toMatch(/^Cannot reach Kafka at 127\.0\.0\.1:1: .*ECONNREFUSED/);
    expect((err as Error).message).not.toContain('\n');
    expect(Date.now() - started).toBeLessThan(15000);
  });

  it('refused credentials give one clear error line', async () => {
    const err = await planModel({
      ...run(),
      kafka: { ...kafka, sasl: { mechanism: 'scram-sha-512', username: 'admin', password: 'wrong' } },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaAccessError);
    expect((err as KafkaAccessError).kind).toBe('authentication');
    expect((err as Error).message).toContain("refused the credentials of user 'admin'");
  });

  it('a partial apply reports exactly what was and was not done, and the next apply converges', async () => {
    const p2 = testPrefix('itp');
    try {
      const good = variantModel(p2);
      const bad = structuredClone(good);
      bad.kafka.topicClasses.cdc.configs['max.message.bytes'] = 'not-a-number';
      const report = await applyModel({ ...run(bad), throwOnFailure: false });
      expect(report.outcome).toBe('partial-failure');
      // the audit topic is not of the cdc class, so the bad config does not touch it
      const created = report.steps.filter(
        (s) => s.operation === 'createTopics' && s.target !== good.kafka.auditTopic.name,
      );
      expect(created.length).toBe(5);
      expect(
        created.every(
          (s) => s.status === 'failed' && /INVALID_CONFIG|max\.message\.bytes/i.test(s.error ?? ''),
        ),
      ).toBe(true);
      // the ACL steps still ran and are reported as done
      expect(report.steps.filter((s) => s.operation === 'createAcls').every((s) => s.status === 'done')).toBe(
        true,
      );

      const next = await applyModel(run(good));
      expect(next.outcome).toBe('applied');
      expect(next.steps.filter((s) => s.operation === 'createTopics' && s.status === 'done')).toHaveLength(5);
      expect(next.steps.filter((s) => s.operation === 'createAcls')).toHaveLength(0);
      expect((await planModel(run(good))).summary.pendingChanges).toBe(0);
    } finally {
      await cleanupPrefix(p2);
    }
  });
});

describe('the real model on the real cdc. topics', () => {
  it('verify exits 4 when a PREFIXED "cdc.tr" READ gives sink-public access to cdc.trades.mnpi', async () => {
    const real = loadPlatformModel();
    await applyModel({ model: real, env: 'local', kafka });
    const leak = leakingPrefixedRead('cdc.');
    await addAcl(leak);
    try {
      const report = await verifyModel({ model: real, env: 'local', kafka });
      expect(verifyExitCode(report)).toBe(4);
      const v = report.violations.find((x) => x.kind === 'effective-access' && x.topic === 'cdc.trades.mnpi');
      expect(v?.principal).toBe('User:sink-public');
      expect(v?.message).toContain('PREFIXED "cdc.tr"');
    } finally {
      await removeAcl(leak);
    }
    expect(verifyExitCode(await verifyModel({ model: real, env: 'local', kafka }))).toBe(0);
  });
});
