/**
 * The CDC routing monitor (apps/cdc-monitor), run from source with tsx as the model's `monitor`
 * principal. Its Kafka grants come from the model and are applied by the topic bootstrapper with
 * every other ACL before it starts (its /readyz says what it still waits for).
 */
import * as path from 'node:path';
import { LOCAL_ENV, type StackContext, type UpContext } from '../context';
import { ensureDir, writeIfChanged } from '../files';
import { componentDir, logFile, pidFile, repoRoot } from '../paths';
import { HOST, type Ports } from '../ports';
import { spawnDaemon } from '../proc';
import { httpOk, type ComponentSpec } from './component';
import { registerScrapeTarget } from './prometheus';
import { recordModelFingerprint } from './model-fingerprint';

/** The Prometheus job the monitor is scraped under. */
export const MONITOR_SCRAPE_JOB = 'cdc-monitor';

const endpoint = (p: Ports): string => `http://${HOST}:${p.monitor}`;
const launchFile = (ctx: StackContext) => path.join(componentDir(ctx.state, 'monitor'), 'launch.json');

/** The monitor's environment: the stack's own ports and state, nothing inherited by accident. */
function monitorEnv(ctx: StackContext): Record<string, string> {
  return {
    LAKEWALL_ENV: LOCAL_ENV,
    LAKEWALL_STATE_DIR: ctx.state,
    LAKEWALL_KAFKA_PORT: String(ctx.ports.kafka),
    LAKEWALL_REGISTRY_PORT: String(ctx.ports.registry),
    LAKEWALL_CONNECT_PORT: String(ctx.ports.connect),
    LAKEWALL_MONITOR_PORT: String(ctx.ports.monitor),
    // The model the stack runs on (another file than the repository's when LAKEWALL_MODEL says so).
    ...(process.env.LAKEWALL_MODEL ? { LAKEWALL_MODEL: path.resolve(process.env.LAKEWALL_MODEL) } : {}),
  };
}

function launch(ctx: StackContext): { args: string[]; env: Record<string, string> } {
  return {
    // --diagnostic-dir puts a path inside the state dir on the command line: the pid record's marker.
    args: [
      `--diagnostic-dir=${componentDir(ctx.state, 'monitor')}`,
      '--import',
      'tsx',
      path.join('apps', 'cdc-monitor', 'src', 'main.ts'),
      '--env',
      LOCAL_ENV,
      '--port',
      String(ctx.ports.monitor),
    ],
    env: monitorEnv(ctx),
  };
}

function configureMonitor(ctx: UpContext): boolean {
  ensureDir(componentDir(ctx.state, 'monitor'));
  const launchChanged = writeIfChanged(launchFile(ctx), JSON.stringify(launch(ctx), null, 2) + '\n');
  return recordModelFingerprint(ctx, 'monitor') || launchChanged;
}

function startMonitor(ctx: UpContext): number {
  configureMonitor(ctx);
  const { args, env } = launch(ctx);
  const pid = spawnDaemon({
    cmd: process.execPath,
    args,
    cwd: repoRoot(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    logFile: logFile(ctx.state, 'monitor'),
    pidFile: pidFile(ctx.state, 'monitor'),
    marker: `--diagnostic-dir=${componentDir(ctx.state, 'monitor')}`,
  });
  registerScrapeTarget(MONITOR_SCRAPE_JOB, [`${HOST}:${ctx.ports.monitor}`], ctx);
  return pid;
}

export const monitor: ComponentSpec = {
  endpoint,
  ports: (p) => [p.monitor],
  readyTimeoutMs: 60_000,
  health: (ctx) => httpOk(`${endpoint(ctx.ports)}/healthz`),
  configure: configureMonitor,
  start: startMonitor,
  stop: { timeoutMs: 20_000 },
};
