import { spawn, spawnSync } from 'node:child_process';
import * as net from 'node:net';
import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  addAcl,
  cleanupPrefix,
  leakingPrefixedRead,
  removeAcl,
  testPrefix,
  variantModelText,
} from '@lakewall/topic-admin/testing';
import { desiredStateOf } from '@lakewall/topic-admin';
import { parsePlatformModel } from '@lakewall/platform-model';

const root = path.resolve(__dirname, '../../..');
const prefix = testPrefix('cli');
const dir = mkdtempSync(path.join(tmpdir(), 'topics-cli-'));
const modelFile = path.join(dir, 'platform.yaml');
writeFileSync(modelFile, variantModelText(prefix));

/** Runs the real CLI the way `npm run topics --` does. */
function topics(...args: string[]) {
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'apps/topic-bootstrapper/src/main.ts', ...args],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, LAKEWALL_MODEL: modelFile },
      timeout: 120_000,
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const validate = new Ajv2020({ strict: false }).compile(
  JSON.parse(readFileSync(path.join(__dirname, '../schema/output.schema.json'), 'utf8')),
);

/** The CLI in a child process without blocking this one (so a test server here can accept it). */
function topicsAsync(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'apps/topic-bootstrapper/src/main.ts', ...args],
      { cwd: root, env: { ...process.env, LAKEWALL_MODEL: modelFile } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

afterAll(async () => {
  await cleanupPrefix(prefix);
});

describe('topics CLI against the local Kafka', () => {
  it('plan (2) -> apply (0) -> plan (0) -> verify (0)', () => {
    const plan = topics('plan');
    expect(plan.stdout).toContain(`+ create       ${prefix}trades.mnpi`);
    expect(plan.stdout.split('\n')[0]).toMatch(/^Changes pending: \d+ to apply\.$/);
    expect(plan.code).toBe(2);

    const apply = topics('apply');
    expect(apply.code).toBe(0);
    // every topic the model declares: CDC topics, the sinks' control topics, the audit topic...
    const declared = desiredStateOf(parsePlatformModel(variantModelText(prefix)), 'local').topics.length;
    expect(apply.stdout).toMatch(
      new RegExp(`^Applied to env 'local': 0 leaking ACL\\(s\\) revoked, ${declared} topic\\(s\\) created`),
    );
    // not a terminal: logs are pino JSON lines
    const logs = apply.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(logs.some((l) => l.msg?.startsWith('createTopics'))).toBe(true);

    const again = topics('plan', '--json');
    expect(again.code).toBe(0);
    const envelope = JSON.parse(again.stdout);
    expect(validate(envelope)).toBe(true);
    expect(envelope).toMatchObject({
      schemaVersion: 1,
      command: 'plan',
      env: 'local',
      exitCode: 0,
      status: 'in-sync',
    });
    expect(envelope.plan.summary.pendingChanges).toBe(0);

    expect(topics('plan').stdout.split('\n')[0]).toMatch(/^In sync/);
    const verify = topics('verify', '--json');
    expect(verify.code).toBe(0);
    expect(validate(JSON.parse(verify.stdout))).toBe(true);
  });

  it('verify exits 4 on a leaking live ACL and names principal, topic and ACL', async () => {
    const leak = leakingPrefixedRead(prefix);
    await addAcl(leak);
    try {
      const v = topics('verify');
      expect(v.code).toBe(4);
      expect(v.stdout).toContain(
        `POLICY VIOLATION [read]: User:sink-public (clearance: public) can read MNPI topic ${prefix}trades.mnpi (READ, DESCRIBE) via ALLOW READ on TOPIC PREFIXED "${prefix}tr"`,
      );
      // plan and apply report it too, and exit 4
      expect(topics('plan').code).toBe(4);
      const shown = topics('apply', '--json');
      expect(shown.code).toBe(4);
      const e = JSON.parse(shown.stdout);
      expect(validate(e)).toBe(true);
      expect(e.apply.revocation).toEqual({ revoked: 0, failed: 0, attempted: false });
      expect(e.plan.acls.filter((a: { action: string }) => a.action === 'would-revoke')).toHaveLength(1);
    } finally {
      await removeAcl(leak);
    }
    expect(topics('verify').code).toBe(0);
  });

  it('a broker that accepts but never answers: exit 1 within the deadline, naming the endpoint', async () => {
    const server = net.createServer(() => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const r = await topicsAsync(
        'plan',
        '--brokers',
        `127.0.0.1:${port}`,
        '--username',
        'a',
        '--password',
        'b',
        '--connect-timeout',
        '3000',
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`error: Kafka at 127.0.0.1:${port} did not answer within 3s`);
    } finally {
      server.close();
    }
  });

  it('a closed port: exit 1 and one clear error line', () => {
    const r = topics('plan', '--brokers', '127.0.0.1:1', '--username', 'admin', '--password', 'x');
    expect(r.code).toBe(1);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error: Cannot reach Kafka at 127\.0\.0\.1:1/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('a malformed model: exit 1 with file:line and path', () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      variantModelText(prefix, (t) => t.replace('partitions: 6', 'partitions: -1')),
    );
    const r = topics('plan', '--model', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`${bad.replace(/[.]/g, '\\.')}:\\d+:\\d+ kafka\\.topicClasses\\.cdc\\.partitions`),
    );
  });
});
