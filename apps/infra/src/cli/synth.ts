/**
 * `nx run infra:synth`: writes the CloudFormation templates of every environment and fails when the
 * nag gate has unacknowledged findings. Also writes <outdir>/infra-summary.json (see synthAll).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatFindings } from '../gates/nag-gate';
import { synthAll } from '../synth-all';
import { formatSummary } from './format-summary';

const outdir = resolve(process.argv[2] ?? 'dist/cdk.out');
// Start clean so the scanners never see a template of a stack that no longer exists.
rmSync(outdir, { recursive: true, force: true });
const summary = synthAll(outdir);
console.log(formatSummary(summary));
// A machine-readable copy beside the templates, for tools that must not load the CDK themselves.
writeFileSync(join(outdir, 'infra-summary.json'), JSON.stringify(summary, null, 2) + '\n');
if (!summary.passed) {
  for (const env of summary.environments) {
    if (env.nag.unacknowledged.length > 0)
      console.error(
        `${env.environment}: unacknowledged cdk-nag findings:\n${formatFindings(env.nag.unacknowledged)}`,
      );
  }
  process.exitCode = 1;
}
