import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { localStackKafkaConfig, localStackStatePath } from '@lakewall/kafka-connection';
import { loadPlatformModel, type AclBinding } from '@lakewall/platform-model';
import { applyModel, verifyModel } from '../src/engine';
import { toAclEntry } from '../src/kafka/acl-codec';
import { addAcl, removeAcl } from '../src/testing';
import { adminConfig } from './kafka-fixtures';

/**
 * Each escalation class on the real model and the real cdc. topics: grant it out of band, show
 * that the escalation is real (the principal really does what the grant lets it do), then show
 * that verify names it and that apply --allow-delete revokes it. Each test restores the cluster.
 */
const model = loadPlatformModel();
let admin: KafkaConfig;
beforeAll(async () => {
  admin = await adminConfig();
  await applyModel({ model, env: 'local', kafka: admin, allowDelete: true, throwOnFailure: false });
});

const grant = (over: Partial<AclBinding>): AclBinding => ({
  principal: 'User:sink-public',
  host: '*',
  resourceType: 'TOPIC',
  resourceName: 'cdc.trades.mnpi',
  patternType: 'LITERAL',
  operation: 'READ',
  permission: 'ALLOW',
  ...over,
});

async function asPrincipal<T>(name: string, fn: (a: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const a = new Kafka({
    ...localStackKafkaConfig(name),
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).admin();
  await a.connect();
  try {
    return await fn(a);
  } finally {
    await a.disconnect();
  }
}

/** verify names the violation; apply --allow-delete revokes exactly the leaking grants; verify is clean again. */
async function expectCaughtAndRevoked(kind: string, resourceType: string, leaks: AclBinding[]) {
  const report = await verifyModel({ model, env: 'local', kafka: admin });
  const v = report.violations.find((x) => x.kind === kind && x.resource.type === resourceType);
  expect(v).toBeDefined();
  expect(v?.grantedBy).toEqual(expect.arrayContaining([leaks[0]]));
  const applied = await applyModel({
    model,
    env: 'local',
    kafka: admin,
    allowDelete: true,
    throwOnFailure: false,
  });
  const revoked = applied.steps.filter((s) => s.operation === 'revokeAcls' && s.status === 'done');
  expect(revoked.length).toBeGreaterThanOrEqual(leaks.length);
  const after = await verifyModel({ model, env: 'local', kafka: admin });
  expect(after.violations).toEqual([]);
}

describe('escalation classes on the live cluster', () => {
  it('ALTER on CLUSTER: sink-public really grants itself READ on cdc.trades.mnpi; verify names it; apply revokes both', async () => {
    const cluster = grant({ resourceType: 'CLUSTER', resourceName: 'kafka-cluster', operation: 'ALTER' });
    const selfGrant = grant({});
    await addAcl(cluster);
    try {
      // Real: as sink-public, create an ACL (CreateAcls needs ALTER on CLUSTER).
      await asPrincipal('sink-public', (a) => a.createAcls({ acl: [toAclEntry(selfGrant)] }));
      await expectCaughtAndRevoked('escalation', 'CLUSTER', [cluster, selfGrant]);
      // And the door is shut: sink-public can no longer create ACLs.
      await expect(
        asPrincipal('sink-public', (a) => a.createAcls({ acl: [toAclEntry(selfGrant)] })),
      ).rejects.toThrow();
    } finally {
      await removeAcl(selfGrant);
      await removeAcl(cluster);
    }
  });

  it('ALL on CLUSTER for a principal the model does not know', async () => {
    const leak = grant({
      principal: 'User:stranger',
      resourceType: 'CLUSTER',
      resourceName: 'kafka-cluster',
      operation: 'ALL',
    });
    await addAcl(leak);
    try {
      await expectCaughtAndRevoked('escalation', 'CLUSTER', [leak]);
    } finally {
      await removeAcl(leak);
    }
  });

  it('CREATE_TOKENS on a cleared user: sink-public really creates a delegation token for sink-mnpi; verify names it; apply revokes it', async () => {
    const leak = grant({ resourceType: 'USER', resourceName: 'User:sink-mnpi', operation: 'CREATE_TOKENS' });
    await addAcl(leak);
    try {
      const created = createTokenAs('sink-public', 'User:sink-mnpi');
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(/Created delegation token with tokenId/);
      await expectCaughtAndRevoked('escalation', 'USER', [leak]);
      expect(createTokenAs('sink-public', 'User:sink-mnpi').code).not.toBe(0);
    } finally {
      await removeAcl(leak);
    }
  });

  it("READ on the MNPI sink's group lets sink-public commit for it; verify names it; apply revokes it", async () => {
    const group = model.principals['sink-mnpi'].kafka?.consume?.group as string;
    const leak = grant({ resourceType: 'GROUP', resourceName: group, operation: 'READ' });
    await addAcl(leak);
    try {
      await expectCaughtAndRevoked('integrity', 'GROUP', [leak]);
    } finally {
      await removeAcl(leak);
    }
  });

  it("READ on a cleared principal's idle group: sink-public really joins it (here the apply lock, blocking every apply); verify names it; apply revokes it", async () => {
    // JoinGroup needs only READ on the group. (Committing offsets needs READ on the topic as well:
    // the broker answers TOPIC_AUTHORIZATION_FAILED; that grant would be a read violation.) The
    // apply lock's group is idle between applies, so any member protocol may join it.
    const group = model.kafka.applyLock;
    const leak = grant({ resourceType: 'GROUP', resourceName: group, operation: 'READ' });
    await addAcl(leak);
    try {
      expect(await joinsGroup('sink-public', group)).toBe(true);
      await expectCaughtAndRevoked('integrity', 'GROUP', [leak]);
      expect(await joinsGroup('sink-public', group)).toBe(false);
    } finally {
      await removeAcl(leak);
    }
  });

  it('WRITE on an MNPI topic (integrity) for User:*', async () => {
    const leak = grant({ principal: 'User:*', operation: 'WRITE' });
    await addAcl(leak);
    try {
      await expectCaughtAndRevoked('integrity', 'TOPIC', [leak]);
    } finally {
      await removeAcl(leak);
    }
  });
});

/** Whether the principal can become a member of the group (subscribed to a public topic it may read). */
async function joinsGroup(principal: string, groupId: string): Promise<boolean> {
  const consumer = new Kafka({
    ...localStackKafkaConfig(principal),
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).consumer({
    groupId,
    retry: { retries: 0 },
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: 'cdc.market_data.public' });
    const joined = new Promise<boolean>((resolve) => {
      consumer.on(consumer.events.GROUP_JOIN, () => resolve(true));
      consumer.on(consumer.events.CRASH, () => resolve(false));
      setTimeout(() => resolve(false), 20_000);
    });
    await consumer.run({ eachMessage: async () => undefined }).catch(() => undefined);
    return await joined;
  } catch {
    return false;
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

/** Kafka's own DelegationTokenCommand (kafkajs has no token API), run as a SCRAM principal. */
function createTokenAs(
  principal: string,
  owner: string,
): { code: number | null; stdout: string; stderr: string } {
  const cfg = localStackKafkaConfig(principal);
  const sasl = cfg.sasl as { username: string; password: string };
  const dir = mkdtempSync(path.join(tmpdir(), 'token-'));
  const props = path.join(dir, 'client.properties');
  writeFileSync(
    props,
    [
      'security.protocol=SASL_PLAINTEXT',
      'sasl.mechanism=SCRAM-SHA-512',
      `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${sasl.username}" password="${sasl.password}";`,
    ].join('\n'),
    { mode: 0o600 },
  );
  const libs = kafkaLibsDir();
  const r = spawnSync(
    'java',
    [
      '-cp',
      `${libs}/*`,
      'org.apache.kafka.tools.DelegationTokenCommand',
      '--bootstrap-server',
      (cfg.brokers as string[])[0],
      '--command-config',
      props,
      '--create',
      '--max-life-time-period',
      '-1',
      '--owner-principal',
      owner,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The Kafka jars the running local broker was started with (its recorded command line). */
function kafkaLibsDir(): string {
  const pidFile = path.join(localStackStatePath(), 'kafka', 'kafka.pid.json');
  const command = (JSON.parse(readFileSync(pidFile, 'utf8')) as { command: string }).command;
  const m = / -cp (\S+)\/\* /.exec(command);
  if (!m) throw new Error(`cannot find the Kafka jars in ${pidFile}`);
  return m[1];
}
