import * as fs from 'node:fs';
import * as path from 'node:path';
import { readStackStatus, up } from '../src/index';

describe('up converges configuration', () => {
  it('restarts a running component whose generated configuration changed, and restores the file', async () => {
    const before = await readStackStatus();
    const connect = before.components.find((c) => c.name === 'connect')!;
    expect(connect.healthy).toBe(true);
    const props = path.join(before.stateDir, 'connect', 'connect-distributed.properties');
    const generated = fs.readFileSync(props, 'utf8');

    // A worker configured by an older version of the model or the stack.
    fs.writeFileSync(props, `${generated}# stale setting from an older checkout\n`, { mode: 0o600 });

    const after = await up({ log: () => undefined });
    const restarted = after.components.find((c) => c.name === 'connect')!;
    expect(restarted.healthy).toBe(true);
    expect(restarted.pid).not.toBe(connect.pid);
    expect(fs.readFileSync(props, 'utf8')).toBe(generated);

    // Nothing changed this time: every component keeps its process.
    const again = await up({ log: () => undefined });
    expect(again.components.map((c) => c.pid)).toEqual(after.components.map((c) => c.pid));
  });
});
