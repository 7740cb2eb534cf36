/**
 * `report --env local --live` against the local stack's running cluster: the ACLs the model applied
 * pass; an out-of-band grant of READ on an MNPI topic to a principal the model does not clear fails
 * the gate (exit 4) naming that principal and topic; removing the grant makes it pass again.
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { localStackKafkaConfig } from '@lakewall/kafka-connection';
import { deriveTopics, kafkaPrincipal, loadPlatformModel, principalsIn } from '@lakewall/platform-model';
import { toAclEntry, toAclFilter } from '@lakewall/topic-admin/read';
import { applyModel } from '@lakewall/topic-admin';
import type { AclBinding } from '@lakewall/platform-model';
import { run } from '../src';

const model = loadPlatformModel();
const mnpiTopic = deriveTopics(model, 'local').find((t) => t.zone === 'mnpi')!.name;
const uncleared = principalsIn(model, 'local').find((p) => p.clearance === 'public')!.name;
const hole: AclBinding = {
  principal: kafkaPrincipal(uncleared),
  host: '*',
  resourceType: 'TOPIC',
  resourceName: mnpiTopic,
  patternType: 'LITERAL',
  operation: 'READ',
  permission: 'ALLOW',
};
let admin: Admin;

async function report(): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(['report', '--env', 'local', '--live'], {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  await applyModel({ model, env: 'local', kafka: localStackKafkaConfig('bootstrapper') });
  // The broker's super user plays the out-of-band change no model principal could make.
  admin = new Kafka({ ...localStackKafkaConfig('admin'), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
});

afterAll(async () => {
  await admin.deleteAcls({ filters: [toAclFilter(hole)] }).catch(() => undefined);
  await admin.disconnect();
});

it('passes on the ACLs the model applied, read from the cluster', async () => {
  const r = await report();
  expect(r.stderr).toContain('reading the live ACLs from');
  expect(r.stdout).toContain('Kafka plane (live cluster ACLs)');
  expect(r.code).toBe(0);
});

it('fails with exit 4 naming the path while an out-of-band grant lets an uncleared principal read MNPI', async () => {
  await admin.createAcls({ acl: [toAclEntry(hole)] });
  const failing = await report();
  expect(failing.code).toBe(4);
  const failures = failing.stdout.slice(failing.stdout.indexOf('Failures'));
  expect(failures).toContain(kafkaPrincipal(uncleared));
  expect(failures).toContain(mnpiTopic);

  await admin.deleteAcls({ filters: [toAclFilter(hole)] });
  const fixed = await report();
  expect(fixed.code).toBe(0);
});
