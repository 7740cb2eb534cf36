import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureStackUp, readStackStatus } from '../src/index';
import { repoRoot } from '../src/paths';
import { resolvePorts } from '../src/ports';

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

describe('the monitor component', () => {
  it('is listed by status --json with its endpoint, healthy', () => {
    const root = repoRoot();
    const res = spawnSync(
      join(root, 'node_modules/.bin/tsx'),
      [join(root, 'tools/local-stack/src/cli.ts'), 'status', '--json'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    const status = JSON.parse(res.stdout) as {
      components: { name: string; endpoint: string; healthy: boolean }[];
    };
    expect(status.components.find((c) => c.name === 'monitor')).toMatchObject({
      endpoint: `http://127.0.0.1:${resolvePorts().monitor}`,
      healthy: true,
    });
  });

  it('is started again by up after it stopped', async () => {
    const before = (await readStackStatus()).components.find((c) => c.name === 'monitor')!;
    expect(before.pid).not.toBeNull();
    process.kill(before.pid!, 'SIGTERM');
    await waitUntilGone(before.pid!, 30_000);
    expect((await readStackStatus()).components.find((c) => c.name === 'monitor')!.healthy).toBe(false);
    await ensureStackUp();
    const after = (await readStackStatus()).components.find((c) => c.name === 'monitor')!;
    expect(after.healthy).toBe(true);
    expect(after.pid).not.toBe(before.pid);
    const res = await fetch(`${after.endpoint}/healthz`);
    expect(res.status).toBe(200);
  });
});
