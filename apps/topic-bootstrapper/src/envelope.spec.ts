import { desired, inSyncCluster, model, policy } from './plan-fixtures';
import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parsePlatformModel, DEFAULT_MODEL_PATH } from '@lakewall/platform-model';
import { planChanges } from '@lakewall/topic-admin';
import { run, type Io } from './run';
import { envelope, errorEnvelope } from './envelope';

const schema = JSON.parse(readFileSync(path.join(__dirname, '../schema/output.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
const valid = (value: unknown) => {
  const ok = validate(value);
  if (!ok) throw new Error(JSON.stringify(validate.errors, null, 2));
  return ok;
};

function io(loadModel?: Io['loadModel']) {
  const out: string[] = [];
  const value: Io = {
    stdout: (s) => out.push(s),
    stderr: () => undefined,
    stderrIsTty: true,
    env: {},
    loadModel,
  };
  return { value, json: () => JSON.parse(out.join('')) };
}

describe('the --json envelope matches its JSON Schema', () => {
  it('for a plan with changes, drift and a live escalation', () => {
    const c = inSyncCluster();
    c.topicNames.push('cdc.old.public');
    c.acls = [
      ...c.acls.slice(1),
      {
        principal: 'User:sink-public',
        host: '*',
        resourceType: 'CLUSTER',
        resourceName: 'kafka-cluster',
        patternType: 'LITERAL',
        operation: 'ALTER',
        permission: 'ALLOW',
      },
    ];
    const plan = planChanges(desired, c, { policy });
    const e = envelope({
      command: 'plan',
      env: 'local',
      exitCode: 4,
      violations: plan.policy.live,
      drift: plan.drift,
      plan,
    });
    expect(valid(e)).toBe(true);
    expect(e).toMatchObject({ schemaVersion: 1, status: 'policy-violation' });
    expect(e.violations[0].kind).toBe('escalation');
  });

  it('for an apply report', () => {
    const plan = planChanges(desired, inSyncCluster(), { policy });
    const e = envelope({
      command: 'apply',
      env: 'local',
      exitCode: 0,
      plan,
      apply: {
        outcome: 'no-changes',
        revocation: { revoked: 0, failed: 0, attempted: false },
        steps: [{ operation: 'revokeAcls', target: 'x', status: 'done' }],
        adminRequests: { listTopics: 1 },
        seconds: 0.1,
      },
    });
    expect(valid(e)).toBe(true);
  });

  it('for a model error, with file, line, column and path of every problem', async () => {
    const text = readFileSync(DEFAULT_MODEL_PATH, 'utf8').replace('retention.ms:', 'retenion.ms:');
    const t = io(() => parsePlatformModel(text, 'platform/platform.yaml'));
    expect(await run(['plan', '--json'], t.value)).toBe(1);
    const e = t.json();
    expect(valid(e)).toBe(true);
    expect(e.error.kind).toBe('model');
    expect(e.error.issues[0]).toMatchObject({
      file: 'platform/platform.yaml',
      line: expect.any(Number),
      column: expect.any(Number),
      path: 'kafka.topicClasses.cdc.configs.retenion.ms',
      message: expect.stringContaining('did you mean "retention.ms"'),
    });
  });

  it('for a policy violation in the model (exit 4)', async () => {
    const leaky = structuredClone(model);
    leaky.principals['sink-public'].kafka = { consume: { zones: ['mnpi'], group: 'g' } };
    const t = io(() => leaky);
    expect(await run(['plan', '--json'], t.value)).toBe(4);
    const e = t.json();
    expect(valid(e)).toBe(true);
    expect(e).toMatchObject({ command: 'plan', env: 'local', exitCode: 4, status: 'policy-violation' });
    expect(e.violations[0].principal).toBe('User:sink-public');
  });

  it('for an internal error', () => {
    expect(valid(errorEnvelope('verify', 'dev', new Error('boom')))).toBe(true);
  });

  it('and the schema rejects an envelope whose status disagrees with its exit code', () => {
    expect(validate({ ...envelope({ command: 'plan', env: 'local', exitCode: 0 }), status: 'drift' })).toBe(
      false,
    );
  });
});
