/**
 * `npm run admin-api -- --env local [--port N]`: runs the admin API in the foreground.
 * Locally every connection comes from the running stack (the lake reader included); elsewhere from
 * the environment (LAKEWALL_KAFKA_*, LAKEWALL_ADMIN_API_*), as the ECS task definition sets it, and
 * the lake routes answer 503 there (the lake on AWS is read through Athena).
 */
import { Command } from 'commander';
import { loadPlatformModel, type EnvName } from '@lakewall/platform-model';
import {
  LOCAL_TOKEN_AUDIENCE,
  LOCAL_TOKEN_ISSUER,
  localStackCredentialsPath,
  localStackKafkaConfig,
  localStackStatePath,
  readLocalStackCredentials,
  localTokenKeyPaths,
  readLocalStackEndpoints,
  resolveConnection,
  ADMIN_API_CLOUD_ENV,
  type AdminApiCloudSetting,
} from '@lakewall/kafka-connection';
import { LakeReader, localLake, readLocalLakeDescriptor } from '@lakewall/lake-reader';
import { ADMIN_API_DEFAULT_PORT, parseConfig, portFromEnv, type AdminApiConfig } from './config';
import { createServer, SERVICE_PRINCIPAL, type ServerDeps } from './server';

const program = new Command('admin-api')
  .description('the lakewall admin API')
  .option('--env <env>', 'local | dev | staging | prod', process.env.LAKEWALL_ENV ?? 'local')
  .option('--port <port>', `listen port (default: LAKEWALL_ADMIN_API_PORT or ${ADMIN_API_DEFAULT_PORT})`)
  .option('--host <host>', 'listen address', process.env.LAKEWALL_ADMIN_API_HOST ?? '127.0.0.1');

/** Locally everything comes from the running stack's state: endpoints, token key, credentials. */
async function localSetup(
  env: NodeJS.ProcessEnv,
  base: Record<string, unknown>,
): Promise<{ config: AdminApiConfig; deps: Omit<ServerDeps, 'model'> }> {
  const state = localStackStatePath(env);
  const endpoints = readLocalStackEndpoints(state);
  const config = parseConfig({
    ...base,
    jwksFile: localTokenKeyPaths(state).jwks,
    issuer: LOCAL_TOKEN_ISSUER,
    audience: LOCAL_TOKEN_AUDIENCE,
    connectUrl: endpoints.connect,
    registryUrl: endpoints.registry,
  });
  return {
    config,
    deps: {
      kafka: localStackKafkaConfig(SERVICE_PRINCIPAL, { env }),
      applierKafka: localStackKafkaConfig('bootstrapper', { env }),
      lakeReader: localLakeReader(state),
    },
  };
}

/** The stack's lake through the lake reader it describes; none (lake routes answer 503) on an older stack. */
function localLakeReader(state: string): LakeReader | undefined {
  const descriptor = readLocalLakeDescriptor(state);
  const creds = readLocalStackCredentials(localStackCredentialsPath(state));
  const password = creds?.postgres[descriptor?.catalog.user ?? ''];
  if (!descriptor || !creds?.s3 || !password) return undefined;
  const { runtime, catalog } = localLake(descriptor, { password, s3: creds.s3 });
  return new LakeReader(runtime, catalog);
}

async function cloudSetup(
  env: NodeJS.ProcessEnv,
  base: Record<string, unknown>,
): Promise<{ config: AdminApiConfig; deps: Omit<ServerDeps, 'model'> }> {
  // Every cloud setting from its variable (the names the task definition writes); unset or empty
  // is absent, so an optional setting stays optional.
  const settings = Object.fromEntries(
    (Object.entries(ADMIN_API_CLOUD_ENV) as [AdminApiCloudSetting, string][]).map(([setting, name]) => [
      setting,
      env[name] || undefined,
    ]),
  );
  const config = parseConfig({ ...base, ...settings });
  const reader = await resolveConnection({}, false);
  const applierArn = env.LAKEWALL_ADMIN_API_APPLIER_SECRET_ARN;
  // The topic manager's secret holds its brokers and credentials; nothing else of the API's is used.
  const applier = applierArn
    ? await resolveConnection({ secretArn: applierArn }, false, { env: { AWS_REGION: env.AWS_REGION } })
    : undefined;
  return { config, deps: { kafka: reader.kafka, applierKafka: applier?.kafka } };
}

async function main(): Promise<void> {
  const opts = program.parse().opts<{ env: string; port?: string; host: string }>();
  const env = process.env;
  const base = {
    env: opts.env as EnvName,
    host: opts.host,
    port: opts.port ?? portFromEnv(env),
    rateLimitPerMinute: env.LAKEWALL_ADMIN_API_RATE_LIMIT ?? 600,
    maxEventLoopDelayMs: env.LAKEWALL_ADMIN_API_MAX_EVENT_LOOP_DELAY_MS ?? 1000,
    logLevel: env.LAKEWALL_LOG_LEVEL ?? 'info',
  };
  const { config, deps } = opts.env === 'local' ? await localSetup(env, base) : await cloudSetup(env, base);
  const app = await createServer(config, { model: loadPlatformModel(), ...deps });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    app.close().then(
      () => (process.exitCode = 0),
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  await app.listen({ host: config.host, port: config.port });
}

main().catch((err: unknown) => {
  console.error(`admin-api: ${(err as Error).message}`);
  process.exitCode = 1;
});
