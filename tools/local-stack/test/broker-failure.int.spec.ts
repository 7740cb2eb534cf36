import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureStackUp, readStackStatus } from '../src/index';
import { repoRoot } from '../src/paths';

/** The CLI as a user runs it, so the exit code is the one scripts and operators see. */
function stackCli(...args: string[]) {
  const root = repoRoot();
  return spawnSync(
    join(root, 'node_modules/.bin/tsx'),
    [join(root, 'tools/local-stack/src/cli.ts'), ...args],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error(`process ${pid} still alive after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// Runs last (see test-sequencer.js): it takes the broker away and brings it back.
describe('a dead broker', () => {
  afterAll(async () => {
    await ensureStackUp();
  });

  it('is reported unhealthy by status, which exits non-zero, and up brings it back', async () => {
    const before = await readStackStatus();
    const kafka = before.components.find((c) => c.name === 'kafka');
    expect(kafka?.healthy).toBe(true);
    const pid = kafka!.pid!;

    process.kill(pid, 'SIGKILL');
    await waitUntilGone(pid, 10_000);

    const table = stackCli('status');
    expect(table.status).not.toBe(0);
    expect(table.stdout).toMatch(/^kafka\s+UNHEALTHY/im);
    expect(table.stdout).toMatch(/stack: UNHEALTHY/);

    const json = stackCli('status', '--json');
    expect(json.status).not.toBe(0);
    const status = JSON.parse(json.stdout);
    expect(status.healthy).toBe(false);
    expect(status.components.find((c: { name: string }) => c.name === 'kafka').healthy).toBe(false);
    expect(status.components.find((c: { name: string }) => c.name === 'postgres').healthy).toBe(true);

    const after = await ensureStackUp();
    const restarted = after.components.find((c) => c.name === 'kafka');
    expect(restarted?.healthy).toBe(true);
    expect(restarted?.pid).not.toBe(pid);
  });
});
