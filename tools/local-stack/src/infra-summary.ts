import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths';

/**
 * Synthesizes every cloud environment and prints the infra app's summary (stacks, resource counts
 * by type, gate results). Run as a child process: tools may not import the CDK app, and the summary
 * is the same one `nx run infra:summary` prints.
 */
export function printInfraSummary(log: (m: string) => void): void {
  const root = repoRoot();
  const outdir = join(root, 'dist', 'cdk.out');
  log(`synthesizing dev, staging and prod into ${outdir}`);
  const run = spawnSync(
    join(root, 'node_modules', '.bin', 'tsx'),
    ['--tsconfig', 'apps/infra/tsconfig.json', 'apps/infra/src/cli/summary.ts', outdir],
    { cwd: root, stdio: 'inherit' },
  );
  if (run.error) throw new Error(`infra synthesis could not start: ${run.error.message}`);
  if (run.status !== 0)
    throw new Error(`infra synthesis failed its gates (exit ${run.status}); see the summary above`);
}
