import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, synthesize } from '../src/synthesize';

/** Where the tests' own synthesis of every environment goes (gitignored, rebuilt on every run). */
export const TEST_CDK_OUT = join(REPO_ROOT, 'tmp/access-report-test/cdk.out');

/** Synthesizes the repository's real templates once for the whole run, with the infra synth. */
export default function globalSetup(): void {
  rmSync(TEST_CDK_OUT, { recursive: true, force: true });
  let output = '';
  try {
    synthesize(TEST_CDK_OUT, (s) => (output += s));
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${output}`);
  }
}
