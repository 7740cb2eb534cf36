import { spawnSync } from 'node:child_process';
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

afterAll(async () => {
  await cleanupPrefix(prefix);
});

describe('topics CLI against the local Kafka', () => {
  it('plan (2) -> apply (0) -> plan (0) -> verify (0)', () => {
    const plan = topics('plan');
    expect(plan.stdout).toContain(`+ create       ${prefix}trades.mnpi`);
    expect(plan.code).toBe(2);

    const apply = topics('apply');
    expect(apply.code).toBe(0);
    // five CDC topics and the audit topic
    expect(apply.stdout).toMatch(/Applied to env 'local': 6 topic\(s\) created/);
    // not a terminal: logs are pino JSON lines
    const logs = apply.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(logs.some((l) => l.msg?.startsWith('createTopics'))).toBe(true);

    const again = topics('plan', '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).plan.summary.pendingChanges).toBe(0);

    expect(topics('verify').code).toBe(0);
  });

  it('verify exits 4 on a leaking live ACL and names principal, topic and ACL', async () => {
    const leak = leakingPrefixedRead(prefix);
    await addAcl(leak);
    try {
      const v = topics('verify');
      expect(v.code).toBe(4);
      expect(v.stdout).toContain(
        'User:sink-public (clearance: public) has effective READ, DESCRIBE on MNPI topic',
      );
      expect(v.stdout).toContain(`${prefix}trades.mnpi via ALLOW READ on TOPIC PREFIXED "${prefix}tr"`);
    } finally {
      await removeAcl(leak);
    }
    expect(topics('verify').code).toBe(0);
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
