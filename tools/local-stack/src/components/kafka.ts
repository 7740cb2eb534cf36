/** Kafka: one combined KRaft broker/controller, SASL/SCRAM clients, ACLs enforced. */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { localKafkaConfigFor } from '@lakewall/kafka-connection';
import { deriveKafkaUsers } from '@lakewall/platform-model';
import { kafkaServerProperties, log4j2Properties, renderProperties, scramFormatArgs } from '../config-gen';
import { ComponentError, LOCAL_ENV, type StackContext, type UpContext } from '../context';
import {
  controllerPasswordOf,
  delegationTokenSecretOf,
  hideSecrets,
  KAFKA_ADMIN,
  passwordOf,
} from '../credentials';
import { ensureDir, writeAllIfChanged, writeIfChanged } from '../files';
import { componentDir, logFile, pidFile } from '../paths';
import { HOST, type Ports } from '../ports';
import { spawnDaemon, tailFile } from '../proc';
import { javaEnv, type ComponentSpec } from './component';

/** Not a SCRAM user: exists only on the controller listener (PLAIN, loopback). */
export const KAFKA_CONTROLLER_USER = 'kraft-controller';

export function kafkaConfigFor(ports: Ports, username: string, password: string): KafkaConfig {
  return localKafkaConfigFor(ports.kafka, username, password);
}

/** The broker's `admin` plus every Kafka user the model declares for the local environment. */
export function kafkaScramUsers(ctx: StackContext): string[] {
  return [KAFKA_ADMIN, ...deriveKafkaUsers(ctx.model, LOCAL_ENV).map((u) => u.name)];
}

function kafkaFiles(ctx: UpContext): { dir: string; dataDir: string; props: string; log4j: string } {
  const dir = componentDir(ctx.state, 'kafka');
  return {
    dir,
    dataDir: path.join(dir, 'data'),
    props: path.join(dir, 'server.properties'),
    log4j: path.join(dir, 'log4j2.properties'),
  };
}

function configureKafka(ctx: UpContext): boolean {
  const { dataDir, props, log4j } = kafkaFiles(ctx);
  return writeAllIfChanged([
    {
      file: props,
      content: renderProperties(
        kafkaServerProperties({
          ports: ctx.ports,
          logDir: dataDir,
          adminUser: KAFKA_ADMIN,
          adminPassword: passwordOf(ctx.creds, 'kafka', KAFKA_ADMIN),
          controllerUser: KAFKA_CONTROLLER_USER,
          controllerPassword: controllerPasswordOf(ctx.creds),
          delegationTokenSecret: delegationTokenSecretOf(ctx.creds),
        }),
      ),
      mode: 0o600,
    },
    {
      file: log4j,
      content: log4j2Properties(['kafka.request.logger', 'org.apache.kafka.clients', 'state.change.logger']),
    },
  ]);
}

function startKafka(ctx: UpContext): number {
  const { dir, dataDir, props, log4j } = kafkaFiles(ctx);
  ensureDir(dataDir);
  configureKafka(ctx);
  const cp = `${ctx.art.kafkaLibs}/*`;
  const jvm = [
    '-Xms128m',
    '-Xmx384m',
    '-XX:+UseSerialGC',
    '-XX:MaxDirectMemorySize=128m',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${log4j}`,
  ];
  if (!fs.existsSync(path.join(dataDir, 'meta.properties'))) {
    ctx.log('kafka: formatting KRaft storage with SCRAM users');
    const users = Object.fromEntries(kafkaScramUsers(ctx).map((u) => [u, passwordOf(ctx.creds, 'kafka', u)]));
    const clusterId = crypto.randomBytes(16).toString('base64url');
    const r = spawnSync(
      ctx.art.java,
      [
        ...jvm,
        '-cp',
        cp,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId,
        '-c',
        props,
        ...scramFormatArgs(users),
      ],
      {
        encoding: 'utf8',
        env: javaEnv(),
      },
    );
    fs.appendFileSync(logFile(ctx.state, 'kafka'), `${r.stdout ?? ''}${r.stderr ?? ''}`);
    if (r.status !== 0)
      throw new ComponentError(
        'kafka',
        'storage format failed',
        hideSecrets(tailFile(logFile(ctx.state, 'kafka')), ctx.creds),
      );
    writeIfChanged(
      path.join(dir, 'scram-users.json'),
      JSON.stringify(Object.keys(users).sort(), null, 2) + '\n',
    );
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

/** Adds SCRAM users that the model gained since the storage was formatted (ConfigCommand, as admin). */
export function ensureScramUsers(ctx: UpContext): void {
  const dir = componentDir(ctx.state, 'kafka');
  const recordFile = path.join(dir, 'scram-users.json');
  const have = new Set<string>(
    fs.existsSync(recordFile) ? (JSON.parse(fs.readFileSync(recordFile, 'utf8')) as string[]) : [],
  );
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
      throw new ComponentError(
        'kafka',
        `could not add SCRAM user ${user}`,
        out.split('\n').slice(-20).join('\n'),
      );
    }
    have.add(user);
    writeIfChanged(recordFile, JSON.stringify([...have].sort(), null, 2) + '\n');
  }
}

export const kafka: ComponentSpec = {
  endpoint: (p) => `${HOST}:${p.kafka}`,
  ports: (p) => [p.kafka, p.kafkaController],
  readyTimeoutMs: 120_000,
  async health(ctx, creds) {
    const pw = creds?.kafka[KAFKA_ADMIN];
    if (!pw) return 'no credentials yet';
    const admin = new Kafka({
      ...kafkaConfigFor(ctx.ports, KAFKA_ADMIN, pw),
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
  },
  configure: configureKafka,
  start: startKafka,
  stop: { timeoutMs: 30_000 },
};
