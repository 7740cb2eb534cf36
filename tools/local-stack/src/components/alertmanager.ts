/** Alertmanager (Debian package), clustering off. */
import * as path from 'node:path';
import { alertmanagerYaml } from '../config-gen';
import type { UpContext } from '../context';
import { ensureDir, writeIfChanged } from '../files';
import { componentDir, logFile, pidFile } from '../paths';
import { HOST } from '../ports';
import { spawnDaemon } from '../proc';
import { httpOk, type ComponentSpec } from './component';

const configFile = (ctx: UpContext) => path.join(componentDir(ctx.state, 'alertmanager'), 'alertmanager.yml');

function configureAlertmanager(ctx: UpContext): boolean {
  return writeIfChanged(configFile(ctx), alertmanagerYaml());
}

function startAlertmanager(ctx: UpContext): number {
  const dir = componentDir(ctx.state, 'alertmanager');
  ensureDir(path.join(dir, 'data'));
  const cfg = configFile(ctx);
  configureAlertmanager(ctx);
  return spawnDaemon({
    cmd: ctx.art.alertmanager,
    args: [
      `--config.file=${cfg}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=${HOST}:${ctx.ports.alertmanager}`,
      '--cluster.listen-address=',
    ],
    cwd: dir,
    logFile: logFile(ctx.state, 'alertmanager'),
    pidFile: pidFile(ctx.state, 'alertmanager'),
    marker: cfg,
  });
}

export const alertmanager: ComponentSpec = {
  endpoint: (p) => `http://${HOST}:${p.alertmanager}`,
  ports: (p) => [p.alertmanager],
  readyTimeoutMs: 60_000,
  health: (ctx) => httpOk(`http://${HOST}:${ctx.ports.alertmanager}/-/ready`),
  configure: configureAlertmanager,
  start: startAlertmanager,
  stop: { timeoutMs: 15_000 },
};
