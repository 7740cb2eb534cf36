/** Stops one component that `up` started: by its recorded pid, and only while that pid is still ours. */
import * as fs from 'node:fs';
import { COMPONENT_SPECS } from './components';
import type { StackContext } from './context';
import { pidFile } from './paths';
import type { Component } from './ports';
import { ownedPid, readPidRecord, stopPid } from './proc';

export async function stopComponent(
  ctx: StackContext,
  c: Component,
  log: (msg: string) => void,
): Promise<void> {
  const file = pidFile(ctx.state, c);
  const pid = ownedPid(file);
  const { timeoutMs, firstSignal } = COMPONENT_SPECS[c].stop;
  if (pid) {
    log(`${c}: stopping pid ${pid}`);
    if (firstSignal) {
      try {
        process.kill(pid, firstSignal);
      } catch {
        /* gone */
      }
    }
    await stopPid(pid, timeoutMs);
  } else if (readPidRecord(file)) {
    log(`${c}: recorded pid is gone or no longer ours; not touching it`);
  }
  fs.rmSync(file, { force: true });
}
