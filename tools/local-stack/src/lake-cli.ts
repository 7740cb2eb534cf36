/** `npm run lake -- ls [--env local] [--json]` and `npm run lake -- scan <zone>.<table> [--limit N]`. */
import { Command, InvalidArgumentError } from 'commander';
import { deriveIcebergTables, loadPlatformModel } from '@lakewall/platform-model';
import { listLakeTables, scanLakeTable } from './lake';
import { parseLakeTableRef, renderLakeTables } from './lake-render';

function localOnly(env: string): void {
  if (env !== 'local')
    throw new Error(
      `--env ${env}: only the local lake can be read from here (on AWS, query the Glue catalog with Athena)`,
    );
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number ≥ 0');
  return n;
}

const program = new Command('lake').description("read the lake's Iceberg tables (local stack)");
program
  .command('ls')
  .description("each zone's tables with snapshot count, row count and last commit time")
  .option('--env <env>', 'environment', 'local')
  .option('--json', 'machine-readable output')
  .action(async (o: { env: string; json?: boolean }) => {
    localOnly(o.env);
    const tables = await listLakeTables(loadPlatformModel());
    process.stdout.write(o.json ? JSON.stringify(tables, null, 2) + '\n' : renderLakeTables(tables));
  });
program
  .command('scan <table>')
  .description('print rows of <zone>.<table> as JSON lines')
  .option('--limit <n>', 'rows to print', positiveInt, 20)
  .action(async (ref: string, o: { limit: number }) => {
    const model = loadPlatformModel();
    const id = parseLakeTableRef(ref, deriveIcebergTables(model));
    for (const row of await scanLakeTable(id, o.limit)) process.stdout.write(JSON.stringify(row) + '\n');
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`lake: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
