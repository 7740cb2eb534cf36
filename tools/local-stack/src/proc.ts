import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

/** What `up` records for each process it starts. */
export interface PidRecord {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: guards against PID reuse. */
  startTime: string;
  /** A string that must appear in the process command line (a path inside our state dir). */
  marker: string;
  command: string;
}

export function readProcStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return parseStatStartTime(stat);
  } catch {
    return undefined;
  }
}

/** /proc/<pid>/stat: "pid (comm) state ..." where comm may contain spaces/parens; starttime is field 22. */
export function parseStatStartTime(stat: string): string | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  const rest = stat.slice(close + 2).split(' ');
  // rest[0] is field 3 (state) => field 22 is rest[19]
  return rest[19];
}

export function readCmdline(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

/** Pure ownership decision, unit-tested. */
export function isOwnedProcess(
  rec: PidRecord,
  actual: { cmdline: string | undefined; startTime: string | undefined },
): boolean {
  if (!actual.cmdline || !actual.startTime) return false;
  if (actual.startTime !== rec.startTime) return false;
  return actual.cmdline.includes(rec.marker);
}

export function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

export function readPidRecord(file: string): PidRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
}

/** Returns the recorded pid if that process is alive and still ours, else undefined. */
export function ownedPid(file: string): number | undefined {
  const rec = readPidRecord(file);
  if (!rec) return undefined;
  const ok = isOwnedProcess(rec, { cmdline: readCmdline(rec.pid), startTime: readProcStartTime(rec.pid) });
  return ok && !isZombie(rec.pid) ? rec.pid : undefined;
}

export interface SpawnOpts {
  cmd: string;
  args: string[];
  cwd: string;
  logFile: string;
  pidFile: string;
  marker: string;
  env?: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
}

/** Starts a detached daemon with stdout/stderr appended to its log; records its pid. */
export function spawnDaemon(o: SpawnOpts): number {
  fs.mkdirSync(path.dirname(o.logFile), { recursive: true });
  const fd = fs.openSync(o.logFile, 'a');
  const child = spawn(o.cmd, o.args, {
    cwd: o.cwd,
    env: o.env ?? process.env,
    detached: true,
    stdio: ['ignore', fd, fd],
    uid: o.uid,
    gid: o.gid,
  });
  fs.closeSync(fd);
  if (!child.pid) throw new Error(`failed to start ${o.cmd}`);
  child.unref();
  // /proc entry is there right after fork; exec replaces cmdline shortly after.
  let startTime = readProcStartTime(child.pid);
  for (let i = 0; i < 50 && !startTime; i++) startTime = readProcStartTime(child.pid);
  const rec: PidRecord = {
    pid: child.pid,
    startTime: startTime ?? '',
    marker: o.marker,
    command: [o.cmd, ...o.args].join(' '),
  };
  fs.writeFileSync(o.pidFile, JSON.stringify(rec, null, 2) + '\n');
  return child.pid;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch {
    return false;
  }
}

/** SIGTERM, wait, then SIGKILL. Only for PIDs that passed `ownedPid`. */
export async function stopPid(pid: number, graceMs = 20000): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const until = Date.now() + graceMs;
  while (Date.now() < until) {
    if (!isAlive(pid)) return;
    await sleep(200);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
  for (let i = 0; i < 25 && isAlive(pid); i++) await sleep(200);
}

/** Resident set size in bytes (VmRSS) of one process, 0 if unknown. */
export function rssBytes(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** True if something accepts TCP connections on host:port. */
export function portOpen(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    const done = (v: boolean): void => {
      s.destroy();
      resolve(v);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function tailFile(file: string, lines = 40): string {
  try {
    const stat = fs.statSync(file);
    const len = Math.min(stat.size, 256 * 1024);
    const buf = Buffer.alloc(len);
    const fd = fs.openSync(file, 'r');
    fs.readSync(fd, buf, 0, len, stat.size - len);
    fs.closeSync(fd);
    return buf
      .toString('utf8')
      .split('\n')
      .slice(-lines - 1)
      .join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}
