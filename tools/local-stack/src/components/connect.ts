/** Kafka Connect (distributed worker) with the Debezium PostgreSQL plugin. */
import * as path from 'node:path';
import { connectWorkerProperties, log4j2Properties, renderProperties } from '../config-gen';
import type { StackContext, UpContext } from '../context';
import { passwordOf } from '../credentials';
import { ensureDir, writeAllIfChanged } from '../files';
import { componentDir, logFile, pidFile } from '../paths';
import { HOST } from '../ports';
import { spawnDaemon } from '../proc';
import { httpOk, javaEnv, type ComponentSpec } from './component';

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

function connectFiles(ctx: UpContext): { props: string; log4j: string } {
  const dir = componentDir(ctx.state, 'connect');
  return {
    props: path.join(dir, 'connect-distributed.properties'),
    log4j: path.join(dir, 'log4j2.properties'),
  };
}

function configureConnect(ctx: UpContext): boolean {
  const c = ctx.model.kafka.connect;
  const { props, log4j } = connectFiles(ctx);
  return writeAllIfChanged([
    {
      file: props,
      content: renderProperties(
        connectWorkerProperties({
          ports: ctx.ports,
          groupId: c.groupId,
          configTopic: c.configTopic,
          offsetTopic: c.offsetTopic,
          statusTopic: c.statusTopic,
          principal: c.principal,
          password: passwordOf(ctx.creds, 'kafka', c.principal),
          pluginPath: ctx.art.debeziumPluginPath,
        }),
      ),
      mode: 0o600,
    },
    {
      file: log4j,
      content: log4j2Properties([
        'org.apache.kafka.clients',
        'org.reflections',
        'org.apache.kafka.connect.runtime.isolation',
      ]),
    },
  ]);
}

function startConnect(ctx: UpContext): number {
  const dir = componentDir(ctx.state, 'connect');
  ensureDir(dir);
  configureConnect(ctx);
  const { props, log4j } = connectFiles(ctx);
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

export const connect: ComponentSpec = {
  endpoint: (p) => `http://${HOST}:${p.connect}`,
  ports: (p) => [p.connect],
  readyTimeoutMs: 180_000,
  health: (ctx) => httpOk(`http://${HOST}:${ctx.ports.connect}/connectors`),
  inService: connectWorkerReason,
  configure: configureConnect,
  start: startConnect,
  stop: { timeoutMs: 30_000 },
};
