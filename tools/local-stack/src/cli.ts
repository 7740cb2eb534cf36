import { Command } from 'commander';
import * as fs from 'node:fs';
import { spawn } from 'node:child_process';
import { ComponentError, stackContext } from './context';
import { down } from './down';
import { readStackStatus } from './status';
import { up } from './up';
import { PrerequisiteError } from './install';
import { COMPONENTS, type Component } from './ports';
import { logFile } from './paths';
import { tailFile } from './proc';
import { renderStatusTable } from './status-table';

function fail(e: unknown): never {
  if (e instanceof PrerequisiteError) {
    process.stderr.write(`local-stack: missing prerequisite: ${e.message}\n`);
    process.exit(3);
  }
  if (e instanceof ComponentError) {
    process.stderr.write(`local-stack: ${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`local-stack: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
}

const program = new Command('stack').description(
  'Local lakewall stack: PostgreSQL, Kafka (KRaft), Kafka Connect + Debezium, schema registry, Prometheus, Alertmanager',
);

program
  .command('up')
  .description('install what is missing and start every component (idempotent)')
  .action(async () => {
    try {
      const s = await up();
      process.stdout.write(renderStatusTable(s) + '\n');
    } catch (e) {
      fail(e);
    }
  });

program
  .command('down')
  .description('stop the processes up started; data is kept unless --purge')
  .option('--purge', 'also delete data, logs, generated configs and credentials')
  .action(async (opts: { purge?: boolean }) => {
    try {
      await down({ purge: !!opts.purge });
    } catch (e) {
      fail(e);
    }
  });

program
  .command('status')
  .description('health of every component; exits non-zero if any is unhealthy')
  .option('--json', 'machine-readable output')
  .action(async (opts: { json?: boolean }) => {
    try {
      const s = await readStackStatus(stackContext());
      process.stdout.write(opts.json ? JSON.stringify(s, null, 2) + '\n' : renderStatusTable(s) + '\n');
      process.exitCode = s.healthy ? 0 : 1;
    } catch (e) {
      fail(e);
    }
  });

program
  .command('logs')
  .description(`print the log of a component (${COMPONENTS.join(', ')})`)
  .argument('<component>')
  .option('-n, --lines <n>', 'lines to print', '100')
  .option('-f, --follow', 'keep following the log')
  .action((component: string, opts: { lines: string; follow?: boolean }) => {
    if (!(COMPONENTS as readonly string[]).includes(component)) {
      process.stderr.write(`unknown component '${component}'; one of: ${COMPONENTS.join(', ')}\n`);
      process.exit(2);
    }
    const file = logFile(stackContext().state, component as Component);
    if (!fs.existsSync(file)) {
      process.stderr.write(`no log yet at ${file}\n`);
      process.exit(1);
    }
    if (opts.follow) {
      spawn('tail', ['-n', opts.lines, '-F', file], { stdio: 'inherit' });
      return;
    }
    process.stdout.write(tailFile(file, Number(opts.lines)) + '\n');
  });

program.parseAsync(process.argv).catch(fail);
