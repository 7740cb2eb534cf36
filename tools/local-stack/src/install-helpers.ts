/** The plumbing every download shares: errors, commands, Maven, atomic cache entries. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A missing prerequisite: the CLI prints its one-line message and nothing else. */
export class PrerequisiteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrerequisiteError';
  }
}

export function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

export function findMaven(): string {
  const mvn = which('mvn');
  if (!mvn) throw new PrerequisiteError('Maven (mvn) not found: install it (apt-get install -y maven)');
  return mvn;
}

export function run(
  cmd: string,
  args: string[],
  what: string,
  env?: NodeJS.ProcessEnv,
  cwd?: string,
): string {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    env: env ?? process.env,
    cwd,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new PrerequisiteError(`${what}: ${r.error.message}`);
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new PrerequisiteError(`${what} failed (exit ${r.status}):\n${tail}`);
  }
  return r.stdout;
}

/** Fetch into a temp dir, then rename: a half-finished download is never taken for a complete one. */
export function materialize(target: string, fill: (tmp: string) => void): string {
  if (fs.existsSync(path.join(target, '.complete'))) return target;
  const tmp = `${target}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  try {
    fill(tmp);
    fs.writeFileSync(path.join(tmp, '.complete'), new Date().toISOString() + '\n');
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(tmp, target);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return target;
}

/**
 * Maven with -C (strict checksums): every artifact is verified against the registry's published
 * checksum before it lands in the local repository; a mismatch fails the install.
 */
export function mvnArgs(cache: string, extra: string[]): string[] {
  return ['-q', '-B', '-C', `-Dmaven.repo.local=${path.join(cache, 'm2')}`, ...extra];
}
