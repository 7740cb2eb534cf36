/**
 * `npm run admin-api -- --env local` as a real process on the local stack: it serves, and on
 * SIGTERM it stops accepting, finishes what is in flight, closes its Kafka clients and exits 0.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const PORT = 49_597;

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

it('serves, then on SIGTERM answers what it already received, closes its clients and exits 0', async () => {
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
      path.join(ROOT, 'apps/admin-api/src/main.ts'),
      '--env',
      'local',
      '--port',
      String(PORT),
    ],
    { cwd: ROOT, env: { ...process.env, LAKEWALL_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await waitReady(`http://127.0.0.1:${PORT}/readyz`, 90_000);
    const inFlight = fetch(`http://127.0.0.1:${PORT}/readyz`);
    child.kill('SIGTERM');
    expect((await inFlight).status).toBe(200);
    const code = await Promise.race([
      exited,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000)),
    ]);
    expect(code).toBe(0);
    expect(out).toContain('shutting down');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
