/** Kafka Connect (distributed worker) with the Debezium PostgreSQL plugin. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deriveConnectConfigProviders } from '@lakewall/platform-model';
import { connectWorkerProperties, log4j2Properties, renderProperties } from '../config-gen';
import { localConnectRestAuth } from '@lakewall/kafka-connection';
import { ConnectRestClient } from '@lakewall/connect-rest';
import {
  CONNECT_REST_USERS_FILE,
  CONNECT_SECRETS_DIRNAME,
  connectRestJaas,
  connectSecretFiles,
  kafkaSecretFile,
  secretRef,
} from '../connect-secrets';
import { LOCAL_ENV, type StackContext, type UpContext } from '../context';
import type { Credentials } from '../credentials';
import { ensureDir, writeAllIfChanged } from '../files';
import { componentDir, logFile, pidFile } from '../paths';
import { HOST } from '../ports';
import { spawnDaemon } from '../proc';
import { javaEnv, type ComponentSpec } from './component';

/** The Connect REST API's client, authenticated with the stack's credentials. */
export function connectRestClientFor(
  ctx: StackContext,
  creds: Credentials,
  timeoutMs?: number,
): ConnectRestClient {
  return new ConnectRestClient({
    baseUrl: `http://${HOST}:${ctx.ports.connect}`,
    auth: localConnectRestAuth(creds),
    ...(timeoutMs ? { timeoutMs } : {}),
  });
}

/** GET `path` on the REST API as the stack's user: undefined on a 2xx answer, else the reason. */
async function connectGet(
  ctx: StackContext,
  creds: Credentials | undefined,
  urlPath: string,
): Promise<{ reason?: string; json?: unknown }> {
  if (!creds) return { reason: 'no credentials file' };
  const { username, password } = localConnectRestAuth(creds);
  try {
    const res = await fetch(`http://${HOST}:${ctx.ports.connect}${urlPath}`, {
      headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
      signal: AbortSignal.timeout(3000),
    });
    if (!res.ok) {
      await res.arrayBuffer();
      return { reason: `GET ${urlPath} -> HTTP ${res.status}` };
    }
    return { json: await res.json() };
  } catch (e) {
    return { reason: `connect: ${(e as Error).message}` };
  }
}

/** The Connect REST port answers before the herder has joined its group; require the worker to be in service. */
async function connectWorkerReason(
  ctx: StackContext,
  creds: Credentials | undefined,
): Promise<string | undefined> {
  const r = await connectGet(ctx, creds, '/');
  if (r.reason) return r.reason;
  return (r.json as { kafka_cluster_id?: string }).kafka_cluster_id
    ? undefined
    : 'connect worker has no Kafka cluster id yet';
}

export function connectSecretsDir(state: string): string {
  return path.join(componentDir(state, 'connect'), CONNECT_SECRETS_DIRNAME);
}

function connectFiles(ctx: StackContext): {
  props: string;
  log4j: string;
  restJaas: string;
  secrets: string;
} {
  const dir = componentDir(ctx.state, 'connect');
  return {
    props: path.join(dir, 'connect-distributed.properties'),
    log4j: path.join(dir, 'log4j2.properties'),
    restJaas: path.join(dir, 'rest-jaas.conf'),
    secrets: connectSecretsDir(ctx.state),
  };
}

/**
 * The secrets the worker's config providers read: one file per principal or role, 0600, in a 0700
 * directory. A stack created before the directory existed gets its mode tightened here.
 */
function secretFiles(ctx: UpContext): { file: string; content: string; mode: number }[] {
  const { secrets } = connectFiles(ctx);
  ensureDir(secrets, 0o700);
  fs.chmodSync(secrets, 0o700);
  return Object.entries(connectSecretFiles(ctx.model, ctx.creds)).map(([name, content]) => ({
    file: path.join(secrets, name),
    content,
    mode: 0o600,
  }));
}

function configureConnect(ctx: UpContext): boolean {
  const c = ctx.model.kafka.connect;
  const { props, log4j, restJaas, secrets } = connectFiles(ctx);
  return writeAllIfChanged([
    ...secretFiles(ctx),
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
          passwordRef: secretRef(secrets, kafkaSecretFile(c.principal)),
          pluginPath: [
            ctx.art.debeziumPluginPath,
            ctx.art.icebergPluginPath,
            ctx.art.transformsPluginPath,
          ].join(','),
          configProviders: deriveConnectConfigProviders(ctx.model, LOCAL_ENV, { secretsDir: secrets }),
        }),
      ),
      mode: 0o600,
    },
    { file: restJaas, content: connectRestJaas(path.join(secrets, CONNECT_REST_USERS_FILE)) },
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
  const { props, log4j, restJaas } = connectFiles(ctx);
  return spawnDaemon({
    cmd: ctx.art.java,
    args: [
      '-Xms128m',
      '-Xmx512m',
      '-XX:+UseSerialGC',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${log4j}`,
      `-Djava.security.auth.login.config=${restJaas}`,
      '-cp',
      `${ctx.art.kafkaLibs}/*:${ctx.art.connectRestAuthLibs}/*`,
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
  health: async (ctx, creds) => (await connectGet(ctx, creds, '/connectors')).reason,
  inService: connectWorkerReason,
  configure: configureConnect,
  start: startConnect,
  stop: { timeoutMs: 30_000 },
};
