import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
  type KafkaConfig,
} from 'kafkajs';
import { Client, type ClientConfig } from 'pg';
import {
  deriveAcls,
  deriveKafkaUsers,
  deriveSourceDdl,
  loadPlatformModel,
  type PlatformModel,
} from '@lakewall/platform-model';
import {
  connectWorkerProperties,
  kafkaServerProperties,
  log4j2Properties,
  pgHbaConf,
  postgresArgs,
  postgresSettings,
  prometheusYaml,
  alertmanagerYaml,
  renderProperties,
  scramFormatArgs,
  scrapeTargetFile,
} from './config-gen';
import { ensureCredentials, hideSecrets, readCredentials, writeSecretFile, KAFKA_ADMIN, PG_SUPERUSER, type Credentials } from './credentials';
import { ensureArtifacts, PrerequisiteError, type Artifacts } from './install';
import { withLock } from './lock';
import { cacheDir, componentDir, credentialsFile, logFile, pidFile, stateDir } from './paths';
import { COMPONENTS, HOST, resolvePorts, type Component, type Ports } from './ports';
import { ownedPid, portOpen, readPidRecord, rssBytes, sleep, spawnDaemon, stopPid, tailFile } from './proc';
import { loadVersions } from './versions';

export const LOCAL_ENV = 'local' as const;

/** A component that did not come up: which one, why, and the end of its log. */
export class ComponentError extends Error {
  constructor(
    readonly component: string,
    readonly reason: string,
    readonly logTail: string,
  ) {
    super(`${component} failed: ${reason}${logTail ? `\n--- last lines of ${component} log ---\n${logTail}` : ''}`);
    this.name = 'ComponentError';
  }
}

export interface StackContext {
  state: string;
  cache: string;
  ports: Ports;
  model: PlatformModel;
  credsFile: string;
}

export function stackContext(env: NodeJS.ProcessEnv = process.env): StackContext {
  const state = stateDir(env);
  return {
    state,
    cache: cacheDir(env),
    ports: resolvePorts(env),
    model: loadPlatformModel(),
    credsFile: credentialsFile(state),
  };
}

export function requireCredentials(ctx: StackContext): Credentials {
  const c = readCredentials(ctx.credsFile);
  if (!c) throw new Error(`no credentials at ${ctx.credsFile}: run 'npm run stack -- up' first`);
  return c;
}

// ---------------------------------------------------------------- endpoints & health

export function endpointOf(c: Component, ports: Ports): string {
  switch (c) {
    case 'postgres':
      return `postgresql://${HOST}:${ports.postgres}`;
    case 'kafka':
      return `${HOST}:${ports.kafka}`;
    case 'connect':
      return `http://${HOST}:${ports.connect}`;
    case 'registry':
      return `http://${HOST}:${ports.registry}/apis/ccompat/v7`;
    case 'prometheus':
      return `http://${HOST}:${ports.prometheus}`;
    case 'alertmanager':
      return `http://${HOST}:${ports.alertmanager}`;
  }
}

export function kafkaConfigFor(ports: Ports, username: string, password: string): KafkaConfig {
  return {
    clientId: `lakewall-local-${username}`,
    brokers: [`${HOST}:${ports.kafka}`],
    ssl: false,
    sasl: { mechanism: 'scram-sha-512', username, password },
  };
}

export function pgConfigFor(ports: Ports, user: string, password: string, database: string): ClientConfig {
  return { host: HOST, port: ports.postgres, user, password, database };
}

async function httpOk(url: string, timeoutMs = 3000): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.ok ? undefined : `GET ${url} -> HTTP ${res.status}`;
  } catch (e) {
    return `GET ${url}: ${(e as Error).message}`;
  }
}

/** Returns undefined when healthy, else the reason. */
export async function checkHealth(c: Component, ctx: StackContext, creds: Credentials | undefined): Promise<string | undefined> {
  const p = ctx.ports;
  switch (c) {
    case 'postgres': {
      const pw = creds?.postgres[PG_SUPERUSER];
      if (!pw) return 'no credentials yet';
      const client = new Client({ ...pgConfigFor(p, PG_SUPERUSER, pw, 'postgres'), connectionTimeoutMillis: 3000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return undefined;
      } catch (e) {
        return `postgres: ${(e as Error).message}`;
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    case 'kafka': {
      const pw = creds?.kafka[KAFKA_ADMIN];
      if (!pw) return 'no credentials yet';
      const admin = new Kafka({
        ...kafkaConfigFor(p, KAFKA_ADMIN, pw),
        logLevel: logLevel.NOTHING,
        connectionTimeout: 3000,
        requestTimeout: 5000,
        retry: { retries: 0 },
      }).admin();
      try {
        await admin.connect();
        const d = await admin.describeCluster();
        return d.brokers.length > 0 ? undefined : 'no brokers in cluster metadata';
      } catch (e) {
        return `kafka: ${(e as Error).message}`;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    }
    case 'connect':
      return httpOk(`http://${HOST}:${p.connect}/connectors`);
    case 'registry':
      return httpOk(`${endpointOf('registry', p)}/subjects`);
    case 'prometheus':
      return httpOk(`http://${HOST}:${p.prometheus}/-/ready`);
    case 'alertmanager':
      return httpOk(`http://${HOST}:${p.alertmanager}/-/ready`);
  }
}

export interface ComponentStatus {
  name: Component;
  endpoint: string;
  healthy: boolean;
  pid: number | null;
  rssBytes: number;
  reason?: string;
  log: string;
  credentialsFile: string;
}

export interface StackStatus {
  healthy: boolean;
  stateDir: string;
  credentialsFile: string;
  totalRssBytes: number;
  components: ComponentStatus[];
}

export async function readStackStatus(ctx: StackContext = stackContext()): Promise<StackStatus> {
  const creds = readCredentials(ctx.credsFile);
  const components = await Promise.all(
    COMPONENTS.map(async (name): Promise<ComponentStatus> => {
      const pid = ownedPid(pidFile(ctx.state, name)) ?? null;
      let reason: string | undefined = pid ? await checkHealth(name, ctx, creds) : 'not running';
      if (pid && !reason && name === 'connect') reason = await connectWorkerReason(ctx);
      return {
        name,
        endpoint: endpointOf(name, ctx.ports),
        healthy: !!pid && !reason,
        pid,
        rssBytes: pid ? treeRss(pid) : 0,
        ...(reason ? { reason } : {}),
        log: logFile(ctx.state, name),
        credentialsFile: ctx.credsFile,
      };
    }),
  );
  return {
    healthy: components.every((c) => c.healthy),
    stateDir: ctx.state,
    credentialsFile: ctx.credsFile,
    totalRssBytes: components.reduce((n, c) => n + c.rssBytes, 0),
    components,
  };
}

/** RSS of a process plus its direct children (PostgreSQL forks its backends). */
function treeRss(pid: number): number {
  let total = rssBytes(pid);
  try {
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    for (const c of children.split(/\s+/).filter(Boolean)) total += rssBytes(Number(c));
  } catch {
    /* no children info */
  }
  return total;
}

/** The Connect REST port answers before the herder has joined its group; require the worker to be in service. */
async function connectWorkerReason(ctx: StackContext): Promise<string | undefined> {
  try {
    const res = await fetch(`http://${HOST}:${ctx.ports.connect}/`, { signal: AbortSignal.timeout(3000) });
    const body = (await res.json()) as { kafka_cluster_id?: string };
    return body.kafka_cluster_id ? undefined : 'connect worker has no Kafka cluster id yet';
  } catch (e) {
    return `connect: ${(e as Error).message}`;
  }
}

// ---------------------------------------------------------------- up

interface UpContext extends StackContext {
  creds: Credentials;
  art: Artifacts;
  log: (msg: string) => void;
}

const READY_TIMEOUT_MS: Record<Component, number> = {
  postgres: 60_000,
  kafka: 120_000,
  connect: 180_000,
  registry: 120_000,
  prometheus: 60_000,
  alertmanager: 60_000,
};

function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) {
    throw new PrerequisiteError("running as root but there is no 'postgres' OS user: install postgresql-15 (apt-get install -y postgresql-15)");
  }
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

function ensureDir(dir: string, mode = 0o755): void {
  fs.mkdirSync(dir, { recursive: true, mode });
}

function writeIfChanged(file: string, content: string, mode = 0o644): void {
  ensureDir(path.dirname(file));
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) return;
  if (mode === 0o600) writeSecretFile(file, content);
  else fs.writeFileSync(file, content, { mode });
}

async function waitReady(c: Component, ctx: UpContext, pid: number): Promise<void> {
  const until = Date.now() + READY_TIMEOUT_MS[c];
  let reason: string | undefined = 'not checked yet';
  while (Date.now() < until) {
    if (ownedPid(pidFile(ctx.state, c)) !== pid) {
      throw new ComponentError(c, `process ${pid} exited during startup`, hideSecrets(tailFile(logFile(ctx.state, c)), ctx.creds));
    }
    reason = await checkHealth(c, ctx, ctx.creds);
    if (!reason && c === 'connect') reason = await connectWorkerReason(ctx);
    if (!reason) return;
    await sleep(1000);
  }
  throw new ComponentError(c, `not ready after ${READY_TIMEOUT_MS[c] / 1000}s (${reason})`, hideSecrets(tailFile(logFile(ctx.state, c)), ctx.creds));
}

/** Ports the component binds. */
function portsOf(c: Component, p: Ports): number[] {
  switch (c) {
    case 'postgres':
      return [p.postgres];
    case 'kafka':
      return [p.kafka, p.kafkaController];
    case 'connect':
      return [p.connect];
    case 'registry':
      return [p.registry];
    case 'prometheus':
      return [p.prometheus];
    case 'alertmanager':
      return [p.alertmanager];
  }
}

async function assertPortsFree(c: Component, ctx: StackContext): Promise<void> {
  for (const port of portsOf(c, ctx.ports)) {
    if (await portOpen(port)) {
      throw new ComponentError(
        c,
        `port ${HOST}:${port} is already in use by a process local-stack did not start; stop it or choose another port (see tools/local-stack/README.md, LAKEWALL_*_PORT)`,
        '',
      );
    }
  }
}

type Starter = (ctx: UpContext) => number;

function javaEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.JAVA_TOOL_OPTIONS;
  delete env._JAVA_OPTIONS;
  return env;
}

function startKafka(ctx: UpContext): number {
  const dir = componentDir(ctx.state, 'kafka');
  const dataDir = path.join(dir, 'data');
  ensureDir(dataDir);
  const props = path.join(dir, 'server.properties');
  writeIfChanged(
    props,
    renderProperties(
      kafkaServerProperties({
        ports: ctx.ports,
        logDir: dataDir,
        adminUser: KAFKA_ADMIN,
        adminPassword: ctx.creds.kafka[KAFKA_ADMIN]!,
        controllerUser: KAFKA_CONTROLLER_USER,
        controllerPassword: ctx.creds.kafkaController!,
      }),
    ),
    0o600,
  );
  const log4j = path.join(dir, 'log4j2.properties');
  writeIfChanged(log4j, log4j2Properties(['kafka.request.logger', 'org.apache.kafka.clients', 'state.change.logger']));
  const cp = `${ctx.art.kafkaLibs}/*`;
  const jvm = ['-Xms128m', '-Xmx384m', '-XX:+UseSerialGC', '-XX:MaxDirectMemorySize=128m', '-Djava.awt.headless=true', `-Dlog4j2.configurationFile=${log4j}`];
  if (!fs.existsSync(path.join(dataDir, 'meta.properties'))) {
    ctx.log('kafka: formatting KRaft storage with SCRAM users');
    const users = Object.fromEntries(kafkaScramUsers(ctx).map((u) => [u, ctx.creds.kafka[u]!]));
    const clusterId = crypto.randomBytes(16).toString('base64url');
    const r = spawnSync(ctx.art.java, [...jvm, '-cp', cp, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', props, ...scramFormatArgs(users)], {
      encoding: 'utf8',
      env: javaEnv(),
    });
    fs.appendFileSync(logFile(ctx.state, 'kafka'), `${r.stdout ?? ''}${r.stderr ?? ''}`);
    if (r.status !== 0) throw new ComponentError('kafka', 'storage format failed', hideSecrets(tailFile(logFile(ctx.state, 'kafka')), ctx.creds));
    writeIfChanged(path.join(dir, 'scram-users.json'), JSON.stringify(Object.keys(users).sort(), null, 2) + '\n');
  }
  return spawnDaemon({
    cmd: ctx.art.java,
    args: [...jvm, '-cp', cp, 'kafka.Kafka', props],
    cwd: dir,
    logFile: logFile(ctx.state, 'kafka'),
    pidFile: pidFile(ctx.state, 'kafka'),
    marker: props,
    env: javaEnv(),
  });
}

/** Not a SCRAM user: exists only on the controller listener (PLAIN, loopback). */
export const KAFKA_CONTROLLER_USER = 'kraft-controller';

export function kafkaScramUsers(ctx: StackContext): string[] {
  return [KAFKA_ADMIN, ...deriveKafkaUsers(ctx.model, LOCAL_ENV).map((u) => u.name)];
}

/** Adds SCRAM users that the model gained since the storage was formatted (ConfigCommand, as admin). */
function ensureScramUsers(ctx: UpContext): void {
  const dir = componentDir(ctx.state, 'kafka');
  const recordFile = path.join(dir, 'scram-users.json');
  const have = new Set<string>(fs.existsSync(recordFile) ? (JSON.parse(fs.readFileSync(recordFile, 'utf8')) as string[]) : []);
  const missing = kafkaScramUsers(ctx).filter((u) => !have.has(u));
  if (missing.length === 0) return;
  const adminProps = path.join(dir, 'admin-client.properties');
  writeIfChanged(
    adminProps,
    renderProperties({
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': 'SCRAM-SHA-512',
      'sasl.jaas.config': `org.apache.kafka.common.security.scram.ScramLoginModule required username="${KAFKA_ADMIN}" password="${ctx.creds.kafka[KAFKA_ADMIN]}";`,
    }),
    0o600,
  );
  for (const user of missing) {
    ctx.log(`kafka: adding SCRAM user ${user}`);
    const r = spawnSync(
      ctx.art.java,
      [
        '-Xmx128m',
        '-XX:+UseSerialGC',
        `-Dlog4j2.configurationFile=${path.join(dir, 'log4j2.properties')}`,
        '-cp',
        `${ctx.art.kafkaLibs}/*`,
        'kafka.admin.ConfigCommand',
        '--bootstrap-server',
        `${HOST}:${ctx.ports.kafka}`,
        '--command-config',
        adminProps,
        '--alter',
        '--add-config',
        `SCRAM-SHA-512=[password=${ctx.creds.kafka[user]}]`,
        '--entity-type',
        'users',
        '--entity-name',
        user,
      ],
      { encoding: 'utf8', env: javaEnv() },
    );
    if (r.status !== 0) {
      const out = hideSecrets(`${r.stdout}\n${r.stderr}`, ctx.creds);
      throw new ComponentError('kafka', `could not add SCRAM user ${user}`, out.split('\n').slice(-20).join('\n'));
    }
    have.add(user);
    writeIfChanged(recordFile, JSON.stringify([...have].sort(), null, 2) + '\n');
  }
}

/**
 * The Connect worker cannot start without its own ACLs (its internal topics and group). Those
 * bindings come from the model (deriveAcls, connect-worker principal only) and are applied here,
 * idempotently; everything else (CDC topics, other principals) is the topic bootstrapper's job.
 */
async function ensureConnectWorkerAcls(ctx: UpContext): Promise<void> {
  const principal = `User:${ctx.model.kafka.connect.principal}`;
  const acls = deriveAcls(ctx.model, LOCAL_ENV).filter((a) => a.principal === principal);
  if (acls.length === 0) throw new Error(`the platform model grants nothing to ${principal}`);
  const admin = new Kafka({ ...kafkaConfigFor(ctx.ports, KAFKA_ADMIN, ctx.creds.kafka[KAFKA_ADMIN]!), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createAcls({
      acl: acls.map((a) => ({
        principal: a.principal,
        host: a.host,
        resourceType: AclResourceTypes[a.resourceType],
        resourceName: a.resourceName,
        resourcePatternType: ResourcePatternTypes[a.patternType],
        operation: AclOperationTypes[a.operation],
        permissionType: AclPermissionTypes[a.permission],
      })),
    });
  } finally {
    await admin.disconnect();
  }
}

function startConnect(ctx: UpContext): number {
  const dir = componentDir(ctx.state, 'connect');
  ensureDir(dir);
  const c = ctx.model.kafka.connect;
  const props = path.join(dir, 'connect-distributed.properties');
  writeIfChanged(
    props,
    renderProperties(
      connectWorkerProperties({
        ports: ctx.ports,
        groupId: c.groupId,
        configTopic: c.configTopic,
        offsetTopic: c.offsetTopic,
        statusTopic: c.statusTopic,
        principal: c.principal,
        password: ctx.creds.kafka[c.principal]!,
        pluginPath: ctx.art.debeziumPluginPath,
      }),
    ),
    0o600,
  );
  const log4j = path.join(dir, 'log4j2.properties');
  writeIfChanged(log4j, log4j2Properties(['org.apache.kafka.clients', 'org.reflections', 'org.apache.kafka.connect.runtime.isolation']));
  return spawnDaemon({
    cmd: ctx.art.java,
    args: [
      '-Xms128m',
      '-Xmx512m',
      '-XX:+UseSerialGC',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${log4j}`,
      '-cp',
      `${ctx.art.kafkaLibs}/*`,
      'org.apache.kafka.connect.cli.ConnectDistributed',
      props,
    ],
    cwd: dir,
    logFile: logFile(ctx.state, 'connect'),
    pidFile: pidFile(ctx.state, 'connect'),
    marker: props,
    env: javaEnv(),
  });
}

function startRegistry(ctx: UpContext): number {
  const dir = componentDir(ctx.state, 'registry');
  ensureDir(dir);
  return spawnDaemon({
    cmd: ctx.art.java,
    args: [
      '-Xms64m',
      '-Xmx320m',
      '-XX:+UseSerialGC',
      `-Dlakewall.stack.dir=${dir}`,
      `-Dquarkus.http.host=${HOST}`,
      `-Dquarkus.http.port=${ctx.ports.registry}`,
      `-Dquarkus.management.host=${HOST}`,
      `-Dquarkus.management.port=${ctx.ports.registryManagement}`,
      '-Dapicurio.storage.kind=sql',
      '-Dapicurio.storage.sql.kind=h2',
      `-Dapicurio.storage.snapshot.location=${dir}`,
      '-Djava.io.tmpdir=' + dir,
      '-jar',
      ctx.art.apicurioJar,
    ],
    cwd: dir,
    logFile: logFile(ctx.state, 'registry'),
    pidFile: pidFile(ctx.state, 'registry'),
    marker: `-Dlakewall.stack.dir=${dir}`,
    env: javaEnv(),
  });
}

export function prometheusTargetsDir(state: string): string {
  return path.join(componentDir(state, 'prometheus'), 'targets');
}

/** Registers (or replaces) a platform service's scrape targets; Prometheus picks it up within seconds. */
export function registerScrapeTarget(job: string, targets: string[], ctx: StackContext = stackContext()): string {
  const dir = prometheusTargetsDir(ctx.state);
  ensureDir(dir);
  const file = path.join(dir, `${job}.json`);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, scrapeTargetFile(job, targets));
  fs.renameSync(tmp, file);
  return file;
}

function startPrometheus(ctx: UpContext): number {
  const dir = componentDir(ctx.state, 'prometheus');
  ensureDir(path.join(dir, 'data'));
  ensureDir(prometheusTargetsDir(ctx.state));
  const cfg = path.join(dir, 'prometheus.yml');
  writeIfChanged(cfg, prometheusYaml({ ports: ctx.ports, targetsDir: prometheusTargetsDir(ctx.state) }));
  return spawnDaemon({
    cmd: ctx.art.prometheus,
    args: [
      `--config.file=${cfg}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      '--storage.tsdb.retention.time=2d',
      `--web.listen-address=${HOST}:${ctx.ports.prometheus}`,
    ],
    cwd: dir,
    logFile: logFile(ctx.state, 'prometheus'),
    pidFile: pidFile(ctx.state, 'prometheus'),
    marker: cfg,
  });
}

function startAlertmanager(ctx: UpContext): number {
  const dir = componentDir(ctx.state, 'alertmanager');
  ensureDir(path.join(dir, 'data'));
  const cfg = path.join(dir, 'alertmanager.yml');
  writeIfChanged(cfg, alertmanagerYaml());
  return spawnDaemon({
    cmd: ctx.art.alertmanager,
    args: [
      `--config.file=${cfg}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=${HOST}:${ctx.ports.alertmanager}`,
      '--cluster.listen-address=',
    ],
    cwd: dir,
    logFile: logFile(ctx.state, 'alertmanager'),
    pidFile: pidFile(ctx.state, 'alertmanager'),
    marker: cfg,
  });
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
    fs.writeFileSync(pwFile, ctx.creds.postgres[PG_SUPERUSER]! + '\n', { mode: 0o600 });
    if (owner) {
      fs.chownSync(dataDir, owner.uid, owner.gid);
      fs.chownSync(pwFile, owner.uid, owner.gid);
    }
    try {
      const r = spawnSync(
        bin('initdb'),
        ['-D', dataDir, '-U', PG_SUPERUSER, `--pwfile=${pwFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C'],
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

const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const quoteLit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** Roles, database and source tables (DDL from the model); safe to repeat. */
async function provisionPostgres(ctx: UpContext): Promise<void> {
  const src = ctx.model.source;
  const admin = new Client(pgConfigFor(ctx.ports, PG_SUPERUSER, ctx.creds.postgres[PG_SUPERUSER]!, 'postgres'));
  await admin.connect();
  try {
    const role = src.debeziumRole;
    const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    const verb = exists.rowCount ? 'ALTER' : 'CREATE';
    await admin.query(`${verb} ROLE ${quoteIdent(role)} WITH LOGIN REPLICATION PASSWORD ${quoteLit(ctx.creds.postgres[role]!)}`);
    const db = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [src.database]);
    if (!db.rowCount) await admin.query(`CREATE DATABASE ${quoteIdent(src.database)}`);
    await admin.query(`GRANT CONNECT ON DATABASE ${quoteIdent(src.database)} TO ${quoteIdent(role)}`);
  } finally {
    await admin.end();
  }
  const trading = new Client(pgConfigFor(ctx.ports, PG_SUPERUSER, ctx.creds.postgres[PG_SUPERUSER]!, src.database));
  await trading.connect();
  try {
    await trading.query(deriveSourceDdl(ctx.model));
  } finally {
    await trading.end();
  }
}

const STARTERS: Record<Component, Starter> = {
  postgres: startPostgres,
  kafka: startKafka,
  connect: startConnect,
  registry: startRegistry,
  prometheus: startPrometheus,
  alertmanager: startAlertmanager,
};

/** Starts a component unless our own healthy instance is already running; waits until ready. */
async function ensureComponent(c: Component, ctx: UpContext): Promise<'started' | 'running'> {
  const existing = ownedPid(pidFile(ctx.state, c));
  if (existing) {
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
  const pid = STARTERS[c](ctx);
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
      throw new ComponentError(c, `${ctx.credsFile} is missing but ${c} data exists; run 'npm run stack -- down --purge' and 'up' again`, '');
    }
  }
}

/** Regenerates prometheus.yml; a running Prometheus of ours reloads it (SIGHUP). */
function refreshPrometheusConfig(ctx: UpContext): void {
  const cfg = path.join(componentDir(ctx.state, 'prometheus'), 'prometheus.yml');
  const want = prometheusYaml({ ports: ctx.ports, targetsDir: prometheusTargetsDir(ctx.state) });
  if (!fs.existsSync(cfg) || fs.readFileSync(cfg, 'utf8') === want) return;
  writeIfChanged(cfg, want);
  const pid = ownedPid(pidFile(ctx.state, 'prometheus'));
  if (pid) {
    process.kill(pid, 'SIGHUP');
    ctx.log('prometheus: configuration changed, reloaded');
  }
}

export interface UpOptions {
  log?: (msg: string) => void;
  env?: NodeJS.ProcessEnv;
}

const defaultLog = (msg: string): void => {
  process.stderr.write(`[local-stack] ${msg}\n`);
};

export async function up(opts: UpOptions = {}): Promise<StackStatus> {
  const base = stackContext(opts.env);
  const log = opts.log ?? defaultLog;
  ensureDir(base.state);
  return withLock(path.join(base.state, 'up.lock'), 20 * 60 * 1000, async () => {
    const versions = loadVersions();
    const art = await ensureArtifacts(base.cache, versions, base.model.kafka.version);
    assertCredentialsMatchData(base);
    const pgRoles = [base.model.source.debeziumRole];
    const creds = ensureCredentials(base.credsFile, kafkaScramUsers(base).filter((u) => u !== KAFKA_ADMIN), pgRoles);
    const ctx: UpContext = { ...base, creds, art, log };

    // Fail before starting anything if a port we need is held by something that is not ours.
    for (const c of COMPONENTS) if (!ownedPid(pidFile(ctx.state, c))) await assertPortsFree(c, ctx);
    refreshPrometheusConfig(ctx);
    const report = (c: Component, r: 'started' | 'running'): void => log(`${c}: ${r === 'started' ? 'ready' : 'already running'}`);
    // Independent servers start together; Connect needs Kafka, its users and its ACLs.
    const first: Component[] = ['postgres', 'kafka', 'registry', 'prometheus', 'alertmanager'];
    const results = await Promise.allSettled(first.map(async (c) => report(c, await ensureComponent(c, ctx))));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;

    await provisionPostgres(ctx);
    log(`postgres: database ${base.model.source.database}, role ${base.model.source.debeziumRole} and source tables in place`);
    ensureScramUsers(ctx);
    await ensureConnectWorkerAcls(ctx);
    report('connect', await ensureComponent('connect', ctx));

    const status = await readStackStatus(base);
    if (!status.healthy) {
      const bad = status.components.find((c) => !c.healthy)!;
      throw new ComponentError(bad.name, bad.reason ?? 'unhealthy', tailFile(bad.log));
    }
    return status;
  });
}

// ---------------------------------------------------------------- down

const STOP_ORDER: Component[] = ['connect', 'registry', 'prometheus', 'alertmanager', 'kafka', 'postgres'];

export async function down(opts: { purge?: boolean; log?: (msg: string) => void; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  const ctx = stackContext(opts.env);
  const log = opts.log ?? defaultLog;
  if (!fs.existsSync(ctx.state)) {
    log('nothing to stop');
    return;
  }
  await withLock(path.join(ctx.state, 'up.lock'), 20 * 60 * 1000, async () => {
    for (const c of STOP_ORDER) {
      const file = pidFile(ctx.state, c);
      const pid = ownedPid(file);
      if (pid) {
        log(`${c}: stopping pid ${pid}`);
        // PostgreSQL: SIGINT is "fast" shutdown (SIGTERM would wait for clients to leave).
        if (c === 'postgres') {
          try {
            process.kill(pid, 'SIGINT');
          } catch {
            /* gone */
          }
        }
        await stopPid(pid, c === 'kafka' || c === 'connect' ? 30_000 : 15_000);
      } else if (readPidRecord(file)) {
        log(`${c}: recorded pid is gone or no longer ours; not touching it`);
      }
      fs.rmSync(file, { force: true });
    }
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
