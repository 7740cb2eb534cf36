/**
 * Apicurio Registry (Quarkus) with its Confluent-compatible API, keeping its schemas in a database
 * and role of its own on the stack's PostgreSQL (never the trading database), so a restart loses no
 * schema. The Avro converters talk to its v2 API; consumers decode through its Confluent API.
 */
import * as path from 'node:path';
import { ensureDir, writeIfChanged } from '../files';
import type { UpContext } from '../context';
import { passwordOf } from '../credentials';
import { componentDir, logFile, pidFile } from '../paths';
import { HOST, type Ports } from '../ports';
import { spawnDaemon } from '../proc';
import { provisionOwnDatabase } from './catalog';
import { httpOk, javaEnv, type ComponentSpec } from './component';
import type { PlatformModel } from '@lakewall/platform-model';

/** The registry's database and role: the model's (schemaRegistry), the same names as on RDS. */
const storage = (ctx: { model: PlatformModel }) => ctx.model.schemaRegistry;

const endpoint = (p: Ports): string => `http://${HOST}:${p.registry}/apis/ccompat/v7`;

/** The registry's own v2 API, which Apicurio's 2.6 converters speak (the 3.x registry still serves it). */
export const registryApiUrl = (p: Ports): string => `http://${HOST}:${p.registry}/apis/registry/v2`;

/** Its role and database; safe to repeat. Runs before the registry starts. */
export function provisionRegistryDatabase(ctx: UpContext): Promise<void> {
  return provisionOwnDatabase(ctx, storage(ctx).role, storage(ctx).database);
}

function registryArgs(ctx: UpContext, dir: string): string[] {
  return [
    '-Xms64m',
    '-Xmx320m',
    '-XX:+UseSerialGC',
    `-Dlakewall.stack.dir=${dir}`,
    `-Dquarkus.http.host=${HOST}`,
    `-Dquarkus.http.port=${ctx.ports.registry}`,
    `-Dquarkus.management.host=${HOST}`,
    `-Dquarkus.management.port=${ctx.ports.registryManagement}`,
    '-Dapicurio.storage.kind=sql',
    '-Dapicurio.storage.sql.kind=postgresql',
    `-Dapicurio.datasource.url=jdbc:postgresql://${HOST}:${ctx.ports.postgres}/${storage(ctx).database}`,
    `-Dapicurio.datasource.username=${storage(ctx).role}`,
    '-Djava.io.tmpdir=' + dir,
    '-jar',
    ctx.art.apicurioJar,
  ];
}

/** Records the launch arguments: `up` restarts a running registry when they change (e.g. its storage). */
function configureRegistry(ctx: UpContext): boolean {
  const dir = componentDir(ctx.state, 'registry');
  ensureDir(dir);
  return writeIfChanged(
    path.join(dir, 'launch.json'),
    `${JSON.stringify(registryArgs(ctx, dir), null, 2)}\n`,
  );
}

function startRegistry(ctx: UpContext): number {
  const dir = componentDir(ctx.state, 'registry');
  configureRegistry(ctx);
  return spawnDaemon({
    cmd: ctx.art.java,
    args: registryArgs(ctx, dir),
    cwd: dir,
    logFile: logFile(ctx.state, 'registry'),
    pidFile: pidFile(ctx.state, 'registry'),
    marker: `-Dlakewall.stack.dir=${dir}`,
    // The password goes in the environment (Quarkus reads it there), not on a command line `ps` shows.
    env: { ...javaEnv(), APICURIO_DATASOURCE_PASSWORD: passwordOf(ctx.creds, 'postgres', storage(ctx).role) },
  });
}

export const registry: ComponentSpec = {
  endpoint,
  ports: (p) => [p.registry],
  readyTimeoutMs: 120_000,
  health: (ctx) => httpOk(`${endpoint(ctx.ports)}/subjects`),
  configure: configureRegistry,
  start: startRegistry,
  stop: { timeoutMs: 15_000 },
};
