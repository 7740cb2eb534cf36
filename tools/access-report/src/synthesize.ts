import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root, found from this file so the tool works from any directory. */
export const REPO_ROOT = resolve(__dirname, '../../..');

/** The default cloud assembly: where `nx run infra:synth` writes. */
export const DEFAULT_CDK_OUT = join(REPO_ROOT, 'dist/cdk.out');

export class SynthesisError extends Error {
  override name = 'SynthesisError';
}

/**
 * Synthesizes every environment into `outdir` with the infra project's own synth script (the same
 * command as `nx run infra:synth`), in a child process: this tool reads templates and never loads
 * the CDK itself. The synth's own output goes to `log` so that `--json` stays clean.
 */
export function synthesize(outdir: string, log: (s: string) => void = (s) => process.stderr.write(s)): void {
  const result = spawnSync(
    process.execPath,
    [
      join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'),
      '--tsconfig',
      'apps/infra/tsconfig.json',
      'apps/infra/src/cli/synth.ts',
      resolve(outdir),
    ],
    { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  log(result.stdout ?? '');
  log(result.stderr ?? '');
  if (result.error) throw new SynthesisError(`cannot run the infra synth: ${result.error.message}`);
  if (result.status !== 0)
    throw new SynthesisError(`the infra synth failed (exit ${result.status}); see its output above`);
}

/** Synthesizes into `outdir` unless it already holds a cloud assembly. */
export function ensureSynthesized(outdir: string, log?: (s: string) => void): boolean {
  if (existsSync(join(outdir, 'manifest.json'))) return false;
  synthesize(outdir, log);
  return true;
}
