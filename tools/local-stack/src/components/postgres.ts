/** PostgreSQL 15 (Debian binaries): its own cluster in the state dir, run as the `postgres` OS user when root. */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, type ClientConfig } from 'pg';
import { setupSourceDatabase } from '@lakewall/source-setup';
import { pgHbaConf, postgresArgs, postgresSettings } from '../config-gen';
import { ComponentError, type UpContext } from '../context';
import { hideSecrets, passwordOf, PG_SUPERUSER } from '../credentials';
import { ensureDir } from '../files';
import { PrerequisiteError } from '../install';
import { componentDir, logFile, pidFile } from '../paths';
import { HOST, type Ports } from '../ports';
import { spawnDaemon, tailFile } from '../proc';
import type { ComponentSpec } from './component';

export function pgConfigFor(ports: Ports, user: string, password: string, database: string): ClientConfig {
  return { host: HOST, port: ports.postgres, user, password, database };
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) {
    throw new PrerequisiteError(
      "running as root but there is no 'postgres' OS user: install postgresql-15 (apt-get install -y postgresql-15)",
    );
  }
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** Where PostgreSQL's data directory lives: in the state dir, or where `data-location` points. */
export function pgDataDir(state: string): string {
  const pointer = path.join(componentDir(state, 'postgres'), 'data-location');
  if (fs.existsSync(pointer)) return fs.readFileSync(pointer, 'utf8').trim();
  return path.join(componentDir(state, 'postgres'), 'data');
}

function canTraverse(dir: string, who: { uid: number; gid: number }): boolean {
  return spawnSync('test', ['-x', dir], { uid: who.uid, gid: who.gid }).status === 0;
}

function startPostgres(ctx: UpContext): number {
  const dir = componentDir(ctx.state, 'postgres');
  ensureDir(dir);
  const owner = postgresUser();
  let dataDir = pgDataDir(ctx.state);
  const bin = (b: string): string => path.join(ctx.art.pgBinDir, b);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    if (owner && !canTraverse(dir, owner)) {
      // The state dir sits under a directory the postgres OS user cannot enter (e.g. /root):
      // keep the cluster in a directory of its own and remember where.
      const hash = crypto.createHash('sha256').update(ctx.state).digest('hex').slice(0, 12);
      dataDir = path.join('/var/lib/lakewall', `postgres-${hash}`, 'data');
      ensureDir(path.dirname(dataDir));
      fs.writeFileSync(path.join(dir, 'data-location'), dataDir + '\n');
      ctx.log(`postgres: ${dir} is not reachable for the postgres OS user; data dir is ${dataDir}`);
    }
    ctx.log('postgres: initdb');
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { mode: 0o700 });
    const pwFile = path.join(path.dirname(dataDir), '.initdb-pw');
    fs.writeFileSync(pwFile, passwordOf(ctx.creds, 'postgres', PG_SUPERUSER) + '\n', { mode: 0o600 });
    if (owner) {
      fs.chownSync(dataDir, owner.uid, owner.gid);
      fs.chownSync(pwFile, owner.uid, owner.gid);
    }
    try {
      const r = spawnSync(
        bin('initdb'),
        [
          '-D',
          dataDir,
          '-U',
          PG_SUPERUSER,
          `--pwfile=${pwFile}`,
          '--auth=scram-sha-256',
          '-E',
          'UTF8',
          '--locale=C',
        ],
        { encoding: 'utf8', uid: owner?.uid, gid: owner?.gid, cwd: '/' },
      );
      fs.appendFileSync(logFile(ctx.state, 'postgres'), `${r.stdout ?? ''}${r.stderr ?? ''}`);
      if (r.status !== 0) {
        throw new ComponentError(
          'postgres',
          `initdb failed${owner ? " (running as the 'postgres' OS user: every parent of the data dir must be traversable by it)" : ''}`,
          hideSecrets(tailFile(logFile(ctx.state, 'postgres')), ctx.creds),
        );
      }
    } finally {
      fs.rmSync(pwFile, { force: true });
    }
  }
  const hba = path.join(dataDir, 'pg_hba.conf');
  fs.writeFileSync(hba, pgHbaConf());
  if (owner) fs.chownSync(hba, owner.uid, owner.gid);
  return spawnDaemon({
    cmd: bin('postgres'),
    args: postgresArgs(dataDir, postgresSettings({ ports: ctx.ports })),
    cwd: '/',
    logFile: logFile(ctx.state, 'postgres'),
    pidFile: pidFile(ctx.state, 'postgres'),
    marker: dataDir,
    uid: owner?.uid,
    gid: owner?.gid,
  });
}

/**
 * Debezium's role, the source database and its tables (DDL from the model); safe to repeat. The same
 * code sets up RDS at deploy time (@lakewall/source-setup); here the admin is a superuser, so the
 * role gets the REPLICATION attribute itself.
 */
export async function provisionPostgres(ctx: UpContext): Promise<void> {
  const role = ctx.model.source.debeziumRole;
  const adminPassword = passwordOf(ctx.creds, 'postgres', PG_SUPERUSER);
  await setupSourceDatabase(
    [{ role, password: passwordOf(ctx.creds, 'postgres', role), grants: 'cdc-source' }],
    {
      model: ctx.model,
      replication: 'attribute',
      adminConnection: (database) => pgConfigFor(ctx.ports, PG_SUPERUSER, adminPassword, database),
    },
  );
}

export const postgres: ComponentSpec = {
  endpoint: (p) => `postgresql://${HOST}:${p.postgres}`,
  ports: (p) => [p.postgres],
  readyTimeoutMs: 60_000,
  async health(ctx, creds) {
    const pw = creds?.postgres[PG_SUPERUSER];
    if (!pw) return 'no credentials yet';
    const client = new Client({
      ...pgConfigFor(ctx.ports, PG_SUPERUSER, pw, 'postgres'),
      connectionTimeoutMillis: 3000,
    });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return undefined;
    } catch (e) {
      return `postgres: ${(e as Error).message}`;
    } finally {
      await client.end().catch(() => undefined);
    }
  },
  start: startPostgres,
  // SIGINT is PostgreSQL's "fast" shutdown (SIGTERM would wait for clients to leave).
  stop: { timeoutMs: 15_000, firstSignal: 'SIGINT' },
};
