/** `down`: stop only the processes `up` started, in dependency order; `--purge` also deletes state. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pgDataDir } from './components/postgres';
import { stackContext } from './context';
import { withLock } from './lock';
import type { Component } from './ports';
import { stopComponent } from './stop';
import { defaultLog, STACK_LOCK_TIMEOUT_MS, stackLockFile } from './up';

const STOP_ORDER: Component[] = [
  'monitor',
  'admin-api',
  'connect',
  'registry',
  'prometheus',
  'alertmanager',
  'kafka',
  's3',
  'postgres',
];

export async function down(
  opts: { purge?: boolean; log?: (msg: string) => void; env?: NodeJS.ProcessEnv } = {},
): Promise<void> {
  const ctx = stackContext(opts.env);
  const log = opts.log ?? defaultLog;
  if (!fs.existsSync(ctx.state)) {
    log('nothing to stop');
    return;
  }
  await withLock(stackLockFile(ctx.state), STACK_LOCK_TIMEOUT_MS, async () => {
    for (const c of STOP_ORDER) await stopComponent(ctx, c, log);
    if (opts.purge) {
      const pgData = pgDataDir(ctx.state);
      if (!pgData.startsWith(ctx.state + path.sep) && pgData.startsWith('/var/lib/lakewall/')) {
        log(`purging ${path.dirname(pgData)}`);
        fs.rmSync(path.dirname(pgData), { recursive: true, force: true });
      }
      log(`purging ${ctx.state}`);
      for (const e of fs.readdirSync(ctx.state)) {
        if (e === 'up.lock') continue;
        fs.rmSync(path.join(ctx.state, e), { recursive: true, force: true });
      }
    }
  });
}
