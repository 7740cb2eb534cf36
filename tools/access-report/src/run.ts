import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildAccessReport,
  EXIT,
  loadEnvironmentTemplates,
  loadExpectedAccess,
  renderJson,
  renderText,
} from '@lakewall/access-proof';
import { loadPlatformModel } from '@lakewall/platform-model';
import { parseCli, UsageError } from './cli';
import { ensureSynthesized } from './synthesize';

export interface Io {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
}

/** Runs one invocation and returns its exit code; the report is also written beside the templates. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let cmd;
  try {
    cmd = parseCli(argv, io.stderr);
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.message) io.stderr(`error: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
  if (ensureSynthesized(cmd.cdkOut, io.stderr)) io.stderr(`synthesized the templates into ${cmd.cdkOut}\n`);
  const report = await buildAccessReport({
    model: loadPlatformModel(cmd.modelPath),
    templates: loadEnvironmentTemplates(cmd.cdkOut, cmd.env),
    expected: loadExpectedAccess(cmd.expected),
  });
  const text = renderText(report);
  const json = renderJson(report);
  // Beside the templates, for the review of every change.
  const textFile = join(cmd.cdkOut, `access-report-${cmd.env}.txt`);
  writeFileSync(textFile, text);
  writeFileSync(join(cmd.cdkOut, `access-report-${cmd.env}.json`), json);
  io.stdout(cmd.json ? json : text);
  const failing = report.findings.filter((f) => f.status !== 'acknowledged').length;
  io.stderr(
    `access report ${cmd.env}: ${report.passed ? 'pass' : 'FAIL'} (${failing} failing, ` +
      `${report.findings.length - failing} acknowledged, ${report.staleEntries.length} stale); written to ${textFile}\n`,
  );
  if (report.exitCode === EXIT.violation) {
    io.stderr(
      `access report ${cmd.env}: paths into MNPI that are neither expected nor acknowledged (exit 4)\n`,
    );
  } else if (report.exitCode === EXIT.staleExpectations) {
    io.stderr(`access report ${cmd.env}: expected-access entries match nothing any more (exit 3)\n`);
  }
  return report.exitCode;
}
