/** Prometheus (Debian package), scraping the stack and any service registered with registerScrapeTarget. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { prometheusYaml, scrapeTargetFile } from '../config-gen';
import { stackContext, type StackContext, type UpContext } from '../context';
import { ensureDir, writeIfChanged } from '../files';
import { componentDir, logFile, pidFile } from '../paths';
import { HOST } from '../ports';
import { ownedPid, spawnDaemon } from '../proc';
import { httpOk, type ComponentSpec } from './component';

export function prometheusTargetsDir(state: string): string {
  return path.join(componentDir(state, 'prometheus'), 'targets');
}

/** Registers (or replaces) a platform service's scrape targets; Prometheus picks it up within seconds. */
export function registerScrapeTarget(
  job: string,
  targets: string[],
  ctx: StackContext = stackContext(),
): string {
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

/** Regenerates prometheus.yml; a running Prometheus of ours reloads it (SIGHUP). */
export function refreshPrometheusConfig(ctx: UpContext): void {
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

export const prometheus: ComponentSpec = {
  endpoint: (p) => `http://${HOST}:${p.prometheus}`,
  ports: (p) => [p.prometheus],
  readyTimeoutMs: 60_000,
  health: (ctx) => httpOk(`http://${HOST}:${ctx.ports.prometheus}/-/ready`),
  start: startPrometheus,
  stop: { timeoutMs: 15_000 },
};
