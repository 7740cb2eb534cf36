import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAlive, sleep } from './proc';

/**
 * Exclusive lock via O_EXCL create. The file holds the owner's pid; a lock whose owner is dead
 * is stale and taken over. Waits up to `timeoutMs` for a live owner to release it.
 */
export async function withLock<T>(file: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const until = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const fd = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o644);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(safeRead(file));
      if (owner && owner !== process.pid && !isAlive(owner)) {
        // Stale: remove only if it still names the same dead owner.
        if (Number(safeRead(file)) === owner) fs.rmSync(file, { force: true });
        continue;
      }
      if (!owner) {
        // Owner is between create and write, or the file is garbage: give it a moment.
        const age = Date.now() - safeMtime(file);
        if (age > 10000) fs.rmSync(file, { force: true });
      }
      if (Date.now() > until)
        throw new Error(`timed out waiting for lock ${file} (held by pid ${owner || '?'})`);
      if (!announced) {
        process.stderr.write(
          `waiting for another local-stack process (pid ${owner || '?'}) holding ${file}\n`,
        );
        announced = true;
      }
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    if (Number(safeRead(file)) === process.pid) fs.rmSync(file, { force: true });
  }
}

function safeRead(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function safeMtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return Date.now();
  }
}
