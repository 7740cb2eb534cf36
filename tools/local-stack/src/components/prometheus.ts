/** Prometheus (Debian package), scraping the stack and any service registered with registerScrapeTarget. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { prometheusYaml, scrapeTargetFile } from '../config-gen';
import { stackContext, type StackContext, type UpContext } from '../context';
import { ensureDir, writeIfChanged } from '../files';
import { componentDir, logFile, pidFile, repoRoot } from '../paths';
import { HOST } from '../ports';
import { ownedPid, spawnDaemon } from '../proc';
import { httpOk, type ComponentSpec } from './component';

export function prometheusTargetsDir(state: string): string {
  return path.join(componentDir(state, 'prometheus'), 'targets');
}

export function prometheusRulesDir(state: string): string {
  return path.join(componentDir(state, 'prometheus'), 'rules');
}

/** The platform's alerting and recording rules, kept with the service whose metrics they read. */
export function platformRuleFiles(): string[] {
  const dir = path.join(repoRoot(), 'apps', 'cdc-monitor', 'prometheus');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.rules.yml'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Copies the rule files into the state dir (Prometheus reads them there); true when one changed. */
function syncRuleFiles(state: string): boolean {
  const dir = prometheusRulesDir(state);
  ensureDir(dir);
  const wanted = platformRuleFiles();
  let changed = false;
  for (const f of wanted)
    changed = writeIfChanged(path.join(dir, path.basename(f)), fs.readFileSync(f, 'utf8')) || changed;
  for (const f of fs.readdirSync(dir))
    if (!wanted.some((w) => path.basename(w) === f)) {
      fs.rmSync(path.join(dir, f));
      changed = true;
    }
  return changed;
}

const yamlFor = (ctx: StackContext): string =>
  prometheusYaml({
    ports: ctx.ports,
    targetsDir: prometheusTargetsDir(ctx.state),
    rulesDir: prometheusRulesDir(ctx.state),
  });

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
  syncRuleFiles(ctx.state);
  writeIfChanged(cfg, yamlFor(ctx));
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

/** Regenerates prometheus.yml and the rule files; a running Prometheus of ours reloads them (SIGHUP). */
export function refreshPrometheusConfig(ctx: UpContext): void {
  const cfg = path.join(componentDir(ctx.state, 'prometheus'), 'prometheus.yml');
  if (!fs.existsSync(cfg)) return;
  const rulesChanged = syncRuleFiles(ctx.state);
  const configChanged = writeIfChanged(cfg, yamlFor(ctx));
  if (!rulesChanged && !configChanged) return;
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
