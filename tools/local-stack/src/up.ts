/** `up`: install what is missing, then start every component in order and wait until each is ready. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { localStackEndpointsPath } from '@lakewall/kafka-connection';
import { COMPONENT_SPECS, endpointOf } from './components';
import { applyTopicsAndAcls } from './topic-bootstrap';
import { modelFingerprintChanged } from './components/model-fingerprint';
import { provisionCatalog } from './components/catalog';
import { provisionRegistryDatabase } from './components/registry';
import { applySubjectCompatibility } from '@lakewall/schema-rules';
import { ensureLakeBuckets } from './components/s3';
import { describeLakeReader } from './lake';
import { ICEBERG_CATALOG_DATABASE, ICEBERG_CATALOG_ROLE } from './lake-local';
import { ensureScramUsers, kafkaScramUsers } from './components/kafka';
import { pgDataDir, provisionPostgres } from './components/postgres';
import { refreshPrometheusConfig } from './components/prometheus';
import { ComponentError, LOCAL_ENV, stackContext, type StackContext, type UpContext } from './context';
import { ensureCredentials, hideSecrets, KAFKA_ADMIN } from './credentials';
import { ensureDir, writeIfChanged } from './files';
import { ensureArtifacts, ensurePostgresBinaries, type Artifacts } from './install';
import { withLock } from './lock';
import { componentDir, logFile, pidFile } from './paths';
import { COMPONENTS, HOST, type Component } from './ports';
import { ownedPid, portOpen, sleep, tailFile } from './proc';
import { checkHealth, checkReady, readStackStatus, type StackStatus } from './status';
import { stopComponent } from './stop';
import { loadVersions } from './versions';

/** Held by `up` and `down` while they change the stack. */
export function stackLockFile(state: string): string {
  return path.join(state, 'up.lock');
}
export const STACK_LOCK_TIMEOUT_MS = 20 * 60 * 1000;

export const defaultLog = (msg: string): void => {
  process.stderr.write(`[local-stack] ${msg}\n`);
};

async function waitReady(c: Component, ctx: UpContext, pid: number): Promise<void> {
  const timeoutMs = COMPONENT_SPECS[c].readyTimeoutMs;
  const until = Date.now() + timeoutMs;
  let reason: string | undefined = 'not checked yet';
  while (Date.now() < until) {
    if (ownedPid(pidFile(ctx.state, c)) !== pid) {
      throw new ComponentError(
        c,
        `process ${pid} exited during startup`,
        hideSecrets(tailFile(logFile(ctx.state, c)), ctx.creds),
      );
    }
    reason = await checkReady(c, ctx, ctx.creds);
    if (!reason) return;
    await sleep(1000);
  }
  throw new ComponentError(
    c,
    `not ready after ${timeoutMs / 1000}s (${reason})`,
    hideSecrets(tailFile(logFile(ctx.state, c)), ctx.creds),
  );
}

/** Waits for a component without a process (its host is up) to answer its health check. */
async function waitHostedReady(c: Component, ctx: UpContext): Promise<void> {
  const until = Date.now() + COMPONENT_SPECS[c].readyTimeoutMs;
  let reason = await checkReady(c, ctx, ctx.creds);
  while (reason && Date.now() < until) {
    await sleep(1000);
    reason = await checkReady(c, ctx, ctx.creds);
  }
  if (reason) throw new ComponentError(c, reason, '');
}

async function assertPortsFree(c: Component, ctx: StackContext): Promise<void> {
  for (const port of COMPONENT_SPECS[c].ports(ctx.ports)) {
    if (await portOpen(port)) {
      throw new ComponentError(
        c,
        `port ${HOST}:${port} is already in use by a process local-stack did not start; stop it or choose another port (see tools/local-stack/README.md, LAKEWALL_*_PORT)`,
        '',
      );
    }
  }
}

/** Starts a component unless our own healthy instance is already running; waits until ready. */
async function ensureComponent(c: Component, ctx: UpContext): Promise<'started' | 'running'> {
  const existing = ownedPid(pidFile(ctx.state, c));
  if (existing && COMPONENT_SPECS[c].configure?.(ctx)) {
    ctx.log(`${c}: configuration changed; restarting`);
    await stopComponent(ctx, c, ctx.log);
  } else if (existing) {
    const reason = await checkHealth(c, ctx, ctx.creds);
    if (!reason) return 'running';
    // Ours but not healthy (yet): give it its readiness window.
    await waitReady(c, ctx, existing);
    return 'running';
  }
  const stale = pidFile(ctx.state, c);
  if (fs.existsSync(stale)) fs.rmSync(stale, { force: true });
  await assertPortsFree(c, ctx);
  ensureDir(componentDir(ctx.state, c));
  fs.appendFileSync(logFile(ctx.state, c), `\n===== local-stack up ${new Date().toISOString()} =====\n`);
  const start = COMPONENT_SPECS[c].start;
  if (!start) throw new Error(`${c} has no process of its own to start`);
  const pid = start(ctx);
  ctx.log(`${c}: started pid ${pid}, waiting until ready`);
  await waitReady(c, ctx, pid);
  return 'started';
}

/** Data without its credentials cannot be recovered (the passwords live in the data): say so. */
function assertCredentialsMatchData(ctx: StackContext): void {
  if (fs.existsSync(ctx.credsFile)) return;
  const orphans: [Component, string][] = [
    ['kafka', path.join(componentDir(ctx.state, 'kafka'), 'data', 'meta.properties')],
    ['postgres', path.join(pgDataDir(ctx.state), 'PG_VERSION')],
  ];
  for (const [c, marker] of orphans) {
    if (fs.existsSync(marker)) {
      throw new ComponentError(
        c,
        `${ctx.credsFile} is missing but ${c} data exists; run 'npm run stack -- down --purge' and 'up' again`,
        '',
      );
    }
  }
}

export interface UpOptions {
  log?: (msg: string) => void;
  env?: NodeJS.ProcessEnv;
}

export async function up(opts: UpOptions = {}): Promise<StackStatus> {
  const base = stackContext(opts.env);
  const log = opts.log ?? defaultLog;
  ensureDir(base.state);
  return withLock(stackLockFile(base.state), STACK_LOCK_TIMEOUT_MS, async () => {
    const versions = loadVersions();
    const art = await ensureArtifacts(base.cache, versions, base.model.kafka.version);
    assertCredentialsMatchData(base);
    const pgRoles = [base.model.source.debeziumRole, ICEBERG_CATALOG_ROLE, base.model.schemaRegistry.role];
    const creds = ensureCredentials(
      base.credsFile,
      kafkaScramUsers(base).filter((u) => u !== KAFKA_ADMIN),
      pgRoles,
    );
    const ctx: UpContext = { ...base, creds, art, log };

    // Fail before starting anything if a port we need is held by something that is not ours.
    for (const c of COMPONENTS) if (!ownedPid(pidFile(ctx.state, c))) await assertPortsFree(c, ctx);
    refreshPrometheusConfig(ctx);
    const report = (c: Component, r: 'started' | 'running'): void =>
      log(`${c}: ${r === 'started' ? 'ready' : 'already running'}`);
    // Independent servers start together; Connect needs Kafka, its users and its ACLs.
    // The registry keeps its schemas in PostgreSQL: it starts once its database is in place.
    const first: Component[] = ['postgres', 's3', 'kafka', 'prometheus', 'alertmanager'];
    const results = await Promise.allSettled(
      first.map(async (c) => report(c, await ensureComponent(c, ctx))),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;

    await provisionPostgres(ctx);
    log(
      `postgres: database ${base.model.source.database}, role ${base.model.source.debeziumRole} and source tables in place`,
    );
    await provisionCatalog(ctx);
    await waitHostedReady('catalog', ctx);
    log(`catalog: database ${ICEBERG_CATALOG_DATABASE} and role ${ICEBERG_CATALOG_ROLE} in place`);
    await provisionRegistryDatabase(ctx);
    report('registry', await ensureComponent('registry', ctx));
    const rules = await applySubjectCompatibility(ctx.model, LOCAL_ENV, endpointOf('registry', ctx.ports));
    log(`registry: compatibility rules of ${rules.length} CDC subject(s) in place`);
    describeLakeReader(ctx);
    const created = await ensureLakeBuckets(ctx);
    log(`s3: ${created.length ? `created buckets ${created.join(', ')}` : 'lake buckets in place'}`);
    ensureScramUsers(ctx);
    // A monitor still on the old model would take a topic the new one declares for an undeclared
    // topic and contain the public sink: it stops before the new topics exist and starts below.
    if (ownedPid(pidFile(ctx.state, 'monitor')) && modelFingerprintChanged(ctx, 'monitor')) {
      log('monitor: the platform model changed; stopping it until the new model is applied');
      await stopComponent(ctx, 'monitor', log);
    }
    // Every topic and ACL (Connect's own included) comes from the bootstrapper before Connect starts.
    await applyTopicsAndAcls(log, { env: opts.env });
    report('connect', await ensureComponent('connect', ctx));
    // The monitor needs Kafka (its ACLs came with the model's above) and reaches Connect and the registry; it comes up last.
    report('monitor', await ensureComponent('monitor', ctx));
    // The admin API reads its backing services' endpoints from the state directory.
    writeIfChanged(
      localStackEndpointsPath(ctx.state),
      `${JSON.stringify(Object.fromEntries(COMPONENTS.map((c) => [c, endpointOf(c, ctx.ports)])), null, 2)}\n`,
    );
    report('admin-api', await ensureComponent('admin-api', ctx));

    const status = await readStackStatus(base);
    if (!status.healthy) {
      const bad = status.components.find((c) => !c.healthy);
      if (bad) throw new ComponentError(bad.name, bad.reason ?? 'unhealthy', tailFile(bad.log));
    }
    return status;
  });
}

/**
 * PostgreSQL alone, provisioned as `up` provisions it (Debezium's role, the source database and its
 * tables): for suites that need no other server. Point LAKEWALL_STATE_DIR and LAKEWALL_PG_PORT
 * elsewhere than a full stack's, or this finds and reuses that stack's PostgreSQL.
 */
export async function upPostgres(opts: UpOptions = {}): Promise<void> {
  const base = stackContext(opts.env);
  const log = opts.log ?? defaultLog;
  ensureDir(base.state);
  await withLock(stackLockFile(base.state), STACK_LOCK_TIMEOUT_MS, async () => {
    const pgBinDir = ensurePostgresBinaries(loadVersions());
    assertCredentialsMatchData(base);
    const creds = ensureCredentials(base.credsFile, [], [base.model.source.debeziumRole]);
    // Starting PostgreSQL needs only its binaries, not the Java and Kafka artifacts `up` installs.
    const art = { pgBinDir } as Artifacts;
    const ctx: UpContext = { ...base, creds, art, log };
    log(`postgres: ${(await ensureComponent('postgres', ctx)) === 'started' ? 'ready' : 'already running'}`);
    await provisionPostgres(ctx);
  });
}
