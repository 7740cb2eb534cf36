/** Apicurio Registry (Quarkus, in-memory H2) with its Confluent-compatible API. */
import { ensureDir } from '../files';
import type { UpContext } from '../context';
import { componentDir, logFile, pidFile } from '../paths';
import { HOST, type Ports } from '../ports';
import { spawnDaemon } from '../proc';
import { httpOk, javaEnv, type ComponentSpec } from './component';

const endpoint = (p: Ports): string => `http://${HOST}:${p.registry}/apis/ccompat/v7`;

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

export const registry: ComponentSpec = {
  endpoint,
  ports: (p) => [p.registry],
  readyTimeoutMs: 120_000,
  health: (ctx) => httpOk(`${endpoint(ctx.ports)}/subjects`),
  start: startRegistry,
  stop: { timeoutMs: 15_000 },
};
