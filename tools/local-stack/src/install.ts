import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureTransformsPlugin } from './transforms-plugin';
import { ensureIcebergSinkPlugin } from './iceberg-plugin';
import { findMaven, materialize, mvnArgs, PrerequisiteError, run, which } from './install-helpers';
import { withLock } from './lock';
import type { Versions } from './versions';
import { parseJavaMajor } from './versions';

export { PrerequisiteError } from './install-helpers';

export interface Artifacts {
  java: string;
  kafkaLibs: string;
  debeziumPluginPath: string;
  /** The Iceberg sink connector plugin (a plugin.path entry), as MSK Connect runs it. */
  icebergPluginPath: string;
  /** Apicurio's Avro converter (a plugin.path entry), which Debezium writes and the sinks read with. */
  avroConverterPluginPath: string;
  /** lakewall's own Connect transforms (a plugin.path entry). */
  transformsPluginPath: string;
  /** Connect's BasicAuthSecurityRestExtension (on the worker's classpath). */
  connectRestAuthLibs: string;
  /** S3Proxy (jar-with-dependencies): the local S3-compatible server. */
  s3proxyJar: string;
  /** The registry's launcher jar. */
  apicurioJar: string;
  pgBinDir: string;
  prometheus: string;
  alertmanager: string;
}

const POM = path.join(__dirname, '..', 'maven', 'pom.xml');

export function findJava(minMajor: number): string {
  const candidates = [
    process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : undefined,
    which('java'),
    '/usr/lib/jvm/java-17-openjdk-amd64/bin/java',
  ].filter((p): p is string => !!p && fs.existsSync(p));
  for (const java of candidates) {
    const r = spawnSync(java, ['-version'], { encoding: 'utf8' });
    const major = parseJavaMajor(`${r.stderr}${r.stdout}`);
    if (major && major >= minMajor) return java;
  }
  throw new PrerequisiteError(
    `Java ${minMajor}+ not found: install it (apt-get install -y openjdk-${minMajor}-jdk-headless) or set JAVA_HOME`,
  );
}

function extractTarGz(archive: string, into: string): void {
  run('tar', ['-xzf', archive, '-C', into], `extracting ${path.basename(archive)}`);
}

export function ensureMavenArtifacts(
  cache: string,
  versions: Versions,
  kafkaVersion: string,
  java: string,
): Pick<
  Artifacts,
  'kafkaLibs' | 'debeziumPluginPath' | 'apicurioJar' | 'connectRestAuthLibs' | 's3proxyJar'
> {
  const mvnEnv = { ...process.env, JAVA_HOME: path.dirname(path.dirname(fs.realpathSync(java))) };
  // Keyed by the pom too: a dependency added there gets a fresh directory, not a stale cached one.
  const pomKey = createHash('sha256').update(fs.readFileSync(POM)).digest('hex').slice(0, 8);
  const kafkaDir = path.join(cache, `kafka-${kafkaVersion}-log4j-${versions.maven.log4j}-${pomKey}`);
  const debeziumDir = path.join(cache, `debezium-postgres-${versions.maven.debezium}`);
  const apicurioDir = path.join(cache, `apicurio-registry-${versions.maven.apicurio}`);
  const restAuthDir = path.join(cache, `connect-basic-auth-extension-${kafkaVersion}`);
  const s3proxyDir = path.join(cache, `s3proxy-${versions.maven.s3proxy}`);
  const s3proxyArtifact = `org.gaul:s3proxy:${versions.maven.s3proxy}:jar:jar-with-dependencies`;
  const needed = [kafkaDir, debeziumDir, apicurioDir, restAuthDir, s3proxyDir].some(
    (d) => !fs.existsSync(path.join(d, '.complete')),
  );
  if (needed) {
    const mvn = findMaven();
    /** Fetches one tar.gz artifact (checksum verified) and unpacks it into tmp/<into>. */
    const unpackMavenTarball = (tmp: string, into: string, artifact: string, what: string): void => {
      const dl = path.join(tmp, 'dl');
      run(
        mvn,
        mvnArgs(cache, ['dependency:copy', `-Dartifact=${artifact}`, `-DoutputDirectory=${dl}`]),
        `mvn dependency:copy (${what})`,
        mvnEnv,
      );
      const target = path.join(tmp, into);
      fs.mkdirSync(target);
      for (const f of fs.readdirSync(dl)) extractTarGz(path.join(dl, f), target);
      fs.rmSync(dl, { recursive: true, force: true });
    };
    materialize(kafkaDir, (tmp) => {
      log(`fetching Kafka ${kafkaVersion} + Connect jars from Maven Central (checksums verified)`);
      // Copy the pom out of the work tree so Maven writes nothing there.
      const pom = path.join(tmp, 'pom.xml');
      fs.copyFileSync(POM, pom);
      run(
        mvn,
        mvnArgs(cache, [
          '-f',
          pom,
          `-Dkafka.version=${kafkaVersion}`,
          `-Dlog4j.version=${versions.maven.log4j}`,
          'dependency:copy-dependencies',
          `-DoutputDirectory=${path.join(tmp, 'libs')}`,
        ]),
        'mvn dependency:copy-dependencies (Kafka)',
        mvnEnv,
      );
      fs.rmSync(path.join(tmp, 'target'), { recursive: true, force: true });
    });
    materialize(restAuthDir, (tmp) => {
      log(`fetching Kafka Connect's basic-auth REST extension ${kafkaVersion}`);
      run(
        mvn,
        mvnArgs(cache, [
          'dependency:copy',
          `-Dartifact=org.apache.kafka:connect-basic-auth-extension:${kafkaVersion}`,
          `-DoutputDirectory=${path.join(tmp, 'libs')}`,
        ]),
        'mvn dependency:copy (Connect basic-auth extension)',
        mvnEnv,
      );
    });
    materialize(s3proxyDir, (tmp) => {
      log(`fetching S3Proxy ${versions.maven.s3proxy}`);
      run(
        mvn,
        mvnArgs(cache, ['dependency:copy', `-Dartifact=${s3proxyArtifact}`, `-DoutputDirectory=${tmp}`]),
        'mvn dependency:copy (S3Proxy)',
        mvnEnv,
      );
    });
    materialize(debeziumDir, (tmp) => {
      log(`fetching Debezium PostgreSQL connector ${versions.maven.debezium}`);
      unpackMavenTarball(
        tmp,
        'plugins',
        `io.debezium:debezium-connector-postgres:${versions.maven.debezium}:tar.gz:plugin`,
        'Debezium',
      );
    });
    materialize(apicurioDir, (tmp) => {
      log(`fetching Apicurio Registry ${versions.maven.apicurio}`);
      unpackMavenTarball(
        tmp,
        'app',
        `io.apicurio:apicurio-registry-app:${versions.maven.apicurio}:tar.gz:all`,
        'Apicurio',
      );
    });
  }
  return {
    kafkaLibs: path.join(kafkaDir, 'libs'),
    debeziumPluginPath: path.join(debeziumDir, 'plugins'),
    connectRestAuthLibs: path.join(restAuthDir, 'libs'),
    s3proxyJar: path.join(s3proxyDir, `s3proxy-${versions.maven.s3proxy}-jar-with-dependencies.jar`),
    apicurioJar: findQuarkusApp(path.join(apicurioDir, 'app')),
  };
}

/** The Quarkus launcher jar: `quarkus-run.jar` (fast-jar layout) or `*-runner.jar` (legacy layout). */
function findQuarkusApp(root: string): string {
  const stack = [root];
  for (let dir = stack.pop(); dir !== undefined; dir = stack.pop()) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isFile() && (e.name === 'quarkus-run.jar' || e.name.endsWith('-runner.jar')))
        return path.join(dir, e.name);
      if (e.isDirectory() && e.name !== 'lib') stack.push(path.join(dir, e.name));
    }
  }
  throw new PrerequisiteError(
    `Apicurio download in ${root} has no Quarkus launcher jar: delete that directory and re-run up`,
  );
}

/** Installs Debian packages without letting their maintainer scripts start system services. */
export function aptInstall(packages: string[]): void {
  if (packages.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new PrerequisiteError(
      `missing packages: run 'sudo apt-get install -y ${packages.join(' ')}' then retry`,
    );
  }
  if (!which('apt-get'))
    throw new PrerequisiteError(`apt-get not available: install ${packages.join(', ')} by hand`);
  const policy = '/usr/sbin/policy-rc.d';
  const hadPolicy = fs.existsSync(policy);
  const backup = `${policy}.lakewall-backup`;
  if (hadPolicy) fs.copyFileSync(policy, backup);
  fs.writeFileSync(
    policy,
    '#!/bin/sh\n# temporary: do not start services during package install\nexit 101\n',
    { mode: 0o755 },
  );
  try {
    log(`installing ${packages.join(' ')} with apt-get (services are not started)`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-qq'], 'apt-get update', env);
    run(
      'apt-get',
      ['install', '-y', '-qq', '--no-install-recommends', ...packages],
      `apt-get install ${packages.join(' ')}`,
      env,
    );
  } catch (e) {
    throw new PrerequisiteError(
      `could not install ${packages.join(' ')} (${(e as Error).message.split('\n')[0]}): install them with apt-get and retry`,
    );
  } finally {
    if (hadPolicy) fs.renameSync(backup, policy);
    else fs.rmSync(policy, { force: true });
  }
}

/** Only PostgreSQL's binaries (for `upPostgres`): installed when missing, like ensureAptPackages. */
export function ensurePostgresBinaries(versions: Versions): string {
  const pg = versions.apt.postgresql;
  const pgBinDir = pg.binDir ?? `/usr/lib/postgresql/${pg.major}/bin`;
  if (!fs.existsSync(path.join(pgBinDir, 'postgres'))) aptInstall([pg.package]);
  if (!fs.existsSync(path.join(pgBinDir, 'postgres'))) {
    throw new PrerequisiteError(
      `postgres binary ${path.join(pgBinDir, 'postgres')} still missing after install`,
    );
  }
  return pgBinDir;
}

export function ensureAptPackages(
  versions: Versions,
): Pick<Artifacts, 'pgBinDir' | 'prometheus' | 'alertmanager'> {
  const pg = versions.apt.postgresql;
  const pgBinDir = pg.binDir ?? `/usr/lib/postgresql/${pg.major}/bin`;
  const prometheus = versions.apt.prometheus.binary ?? '/usr/bin/prometheus';
  const alertmanager = versions.apt.alertmanager.binary ?? '/usr/bin/prometheus-alertmanager';
  const missing: string[] = [];
  if (!fs.existsSync(path.join(pgBinDir, 'postgres'))) missing.push(pg.package);
  if (!fs.existsSync(prometheus)) missing.push(versions.apt.prometheus.package);
  if (!fs.existsSync(alertmanager)) missing.push(versions.apt.alertmanager.package);
  aptInstall(missing);
  for (const [what, p] of [
    ['postgres', path.join(pgBinDir, 'postgres')],
    ['prometheus', prometheus],
    ['alertmanager', alertmanager],
  ] as const) {
    if (!fs.existsSync(p))
      throw new PrerequisiteError(`${what} binary ${p} still missing after install: check versions.json`);
  }
  return { pgBinDir, prometheus, alertmanager };
}

export async function ensureArtifacts(
  cache: string,
  versions: Versions,
  kafkaVersion: string,
): Promise<Artifacts> {
  fs.mkdirSync(cache, { recursive: true });
  const java = findJava(versions.java.minMajor);
  return withLock(path.join(cache, 'install.lock'), 30 * 60 * 1000, async () => {
    const apt = ensureAptPackages(versions);
    const mvn = ensureMavenArtifacts(cache, versions, kafkaVersion, java);
    const iceberg = ensureIcebergSinkPlugin(cache, java, log);
    const transformsPluginPath = ensureTransformsPlugin(cache, java, mvn.kafkaLibs);
    return {
      java,
      ...apt,
      ...mvn,
      icebergPluginPath: iceberg.pluginPath,
      avroConverterPluginPath: iceberg.converterPluginPath,
      transformsPluginPath,
    };
  });
}

function log(msg: string): void {
  process.stderr.write(`[local-stack] ${msg}\n`);
}
