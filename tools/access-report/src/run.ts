import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildAccessReport,
  EXIT,
  loadEnvironmentTemplates,
  loadExpectedAccess,
  readLiveKafka,
  renderJson,
  renderText,
  type LiveKafka,
} from '@lakewall/access-proof';
import { resolveConnection, type ResolveDeps } from '@lakewall/kafka-connection';
import { loadPlatformModel, type PlatformModel } from '@lakewall/platform-model';
import { parseCli, UsageError, type ReportCommand } from './cli';
import { ensureSynthesized } from './synthesize';

export interface Io {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  /** Where `--live` finds its connection (flags, environment, secret, the local stack). */
  readonly resolveDeps?: ResolveDeps;
}

/** The running cluster's ACLs, through the same connection resolution as the bootstrapper. */
async function readLive(cmd: ReportCommand, model: PlatformModel, io: Io): Promise<LiveKafka | undefined> {
  if (!cmd.live) return undefined;
  const { kafka, source } = await resolveConnection(
    { clientId: 'lakewall-access-report', ...cmd.live.connection },
    cmd.env === 'local',
    io.resolveDeps,
  );
  io.stderr(`reading the live ACLs from ${(kafka.brokers as string[]).join(',')} (${source})\n`);
  return readLiveKafka(kafka, model, cmd.env, { connectTimeoutMs: cmd.live.connectTimeoutMs });
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
  const local = cmd.env === 'local';
  if (!local && ensureSynthesized(cmd.cdkOut, io.stderr))
    io.stderr(`synthesized the templates into ${cmd.cdkOut}\n`);
  const model = loadPlatformModel(cmd.modelPath);
  const live = await readLive(cmd, model, io);
  const report = await buildAccessReport({
    model,
    environment: cmd.env,
    // The local stack has no templates (and no AWS account): its report is the Kafka plane alone.
    ...(local ? {} : { templates: loadEnvironmentTemplates(cmd.cdkOut, cmd.env) }),
    expected: loadExpectedAccess(cmd.expected),
    ...(live ? { kafka: { liveAcls: live.liveAcls, liveTopics: live.liveTopics } } : {}),
  });
  const text = renderText(report);
  const json = renderJson(report);
  // Beside the templates, for the review of every change (the local stack has none).
  const textFile = local ? undefined : join(cmd.cdkOut, `access-report-${cmd.env}.txt`);
  if (textFile) {
    writeFileSync(textFile, text);
    writeFileSync(join(cmd.cdkOut, `access-report-${cmd.env}.json`), json);
  }
  io.stdout(cmd.json ? json : text);
  const failing = report.findings.filter((f) => f.status !== 'acknowledged').length;
  io.stderr(
    `access report ${cmd.env}: ${report.passed ? 'pass' : 'FAIL'} (${failing} failing, ` +
      `${report.findings.length - failing} acknowledged, ${report.staleEntries.length} stale)` +
      `${textFile ? `; written to ${textFile}` : ''}\n`,
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
