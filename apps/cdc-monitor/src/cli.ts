/** `npm run monitor -- --env <env> [--port N]`: runs the monitor in the foreground until a signal. */
import { Command } from 'commander';
import pino from 'pino';
import { loadPlatformModel } from '@lakewall/platform-model';
import { ConfigError, readConfig, MONITOR_PORT_ENV, MONITOR_PORT_DEFAULT } from './config';
import { startMonitor } from './monitor';

export interface Io {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stderr: (s: string) => void;
  /** Resolves when the process is asked to stop (SIGTERM/SIGINT). */
  readonly stopSignal: Promise<string>;
}

export function processIo(): Io {
  return {
    env: process.env,
    stderr: (s) => process.stderr.write(s),
    stopSignal: new Promise((resolve) => {
      for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => resolve(sig));
    }),
  };
}

export async function run(argv: string[], io: Io): Promise<number> {
  const program = new Command('monitor')
    .description('CDC routing monitor: MNPI-leak detection, consumer lag, containment')
    .option('--env <env>', 'environment of the platform model (local, dev, staging, prod); or LAKEWALL_ENV')
    .option(
      '--port <n>',
      `HTTP port for /metrics, /healthz, /readyz (default ${MONITOR_PORT_DEFAULT}; or ${MONITOR_PORT_ENV})`,
    )
    .exitOverride()
    .configureOutput({ writeErr: io.stderr, writeOut: io.stderr });
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    return (e as { exitCode?: number }).exitCode ?? 2;
  }
  const flags = program.opts<{ env?: string; port?: string }>();
  let config;
  try {
    config = readConfig(flags, io.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr(`cdc-monitor: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const log = pino({ level: config.logLevel, base: { service: 'cdc-monitor', env: config.env } });
  const model = loadPlatformModel();
  const monitor = await startMonitor(model, config, log);
  const signal = await io.stopSignal;
  log.info({ signal }, 'stopping: committing checked offsets');
  await monitor.stop();
  log.info('stopped');
  return 0;
}
