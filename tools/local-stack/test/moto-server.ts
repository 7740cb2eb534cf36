/**
 * moto's server, a Secrets Manager-compatible HTTP endpoint on loopback, for tests of code that reads
 * secrets from AWS. Installed into a virtualenv cached outside the work tree
 * (`<cache>/moto-<version>-<lock hash>/venv`), every package checked against the hashes in
 * moto-requirements.txt (pip --require-hashes), built in a temp dir renamed into place when complete.
 * Any failure to install or start it is an error: the tests that need it fail, they never skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { materialize, PrerequisiteError, run, which } from '../src/install-helpers';

const LOCK = path.join(__dirname, 'moto-requirements.txt');

export function motoVersion(lock: string = fs.readFileSync(LOCK, 'utf8')): string {
  const version = /^moto==(\S+)/m.exec(lock)?.[1];
  if (!version) throw new Error(`${LOCK} pins no moto version`);
  return version;
}

/** The venv's python, with moto installed (once per change of the lock file). */
export function ensureMoto(cache: string): string {
  const lock = fs.readFileSync(LOCK, 'utf8');
  const key = createHash('sha256').update(lock).digest('hex').slice(0, 12);
  const dir = path.join(cache, `moto-${motoVersion(lock)}-${key}`);
  const python = which('python3');
  if (!python) throw new PrerequisiteError('python3 not found: moto (the Secrets Manager stand-in) needs it');
  materialize(dir, (tmp) => {
    const venv = path.join(tmp, 'venv');
    run(python, ['-m', 'venv', venv], 'python3 -m venv (moto)');
    run(
      path.join(venv, 'bin', 'python'),
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--require-hashes', '-r', LOCK],
      `pip install moto ${motoVersion(lock)} (hashes from ${path.basename(LOCK)})`,
    );
  });
  // The venv's python, not its console scripts: the scripts' shebangs name the temp dir the venv was
  // built in, while python finds its packages relative to itself wherever the venv now is.
  return path.join(dir, 'venv', 'bin', 'python');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface MotoServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Starts moto's server on 127.0.0.1 and a free port; resolves once it answers HTTP. */
export async function startMoto(python: string, timeoutMs = 30_000): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (b: Buffer): void => void (output = (output + b.toString('utf8')).slice(-4000));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited (${signal ?? code})`));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`moto's server ${exited} before answering on ${endpoint}:\n${output}`);
    try {
      await fetch(`${endpoint}/moto-api/`);
      return { endpoint, stop };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`moto's server did not answer on ${endpoint} within ${timeoutMs} ms:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
