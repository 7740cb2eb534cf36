import pino from 'pino';
import { loadPlatformModel, PlatformModelError, type PlatformModel } from '@lakewall/platform-model';
import { ConnectionConfigError, resolveConnection, type ResolveDeps } from '@lakewall/kafka-connection';
import {
  applyExitCode,
  applyModel,
  checkModelPolicy,
  EXIT,
  KafkaAccessError,
  planExitCode,
  planModel,
  renderApplyReport,
  renderPlan,
  renderVerifyReport,
  renderViolations,
  verifyExitCode,
  verifyModel,
  type TopicAdminLogger,
} from '@lakewall/topic-admin';
import { parseCli, UsageError, type CliCommand } from './cli';

/** The kafkajs client id the bootstrapper connects with. */
export const CLIENT_ID = 'lakewall-topic-bootstrapper';

export interface Io {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly stderrIsTty: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly resolveDeps?: ResolveDeps;
  readonly loadModel?: (path?: string) => PlatformModel;
}

export const processIo = (): Io => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  stderrIsTty: Boolean(process.stderr.isTTY),
  env: process.env,
});

/** Human progress lines on a terminal; structured pino JSON logs otherwise (ECS, CI, pipes). */
export function makeLogger(io: Io, json: boolean): TopicAdminLogger {
  if (io.stderrIsTty && !json) {
    const line = (level: string) => (obj: object, msg?: string) => {
      if (msg && !(obj as { kafkajs?: boolean }).kafkajs) io.stderr(`${level}${msg}\n`);
    };
    return { debug: () => undefined, info: line('  '), warn: line('warning: '), error: line('error: ') };
  }
  const level = io.env.LOG_LEVEL ?? 'info';
  return pino({ level, base: { service: 'topic-bootstrapper' } }, { write: (s: string) => io.stderr(s) });
}

/** Runs one CLI invocation and returns its exit code. Never throws. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let cmd: CliCommand;
  try {
    cmd = parseCli(argv, io.env, io.stdout);
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.message) io.stderr(`error: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
  const logger = makeLogger(io, cmd.json);
  const out = (text: string) => io.stdout(text.endsWith('\n') ? text : `${text}\n`);
  const emitJson = (value: unknown) => out(JSON.stringify(value, null, 2));

  try {
    const model = (io.loadModel ?? loadPlatformModel)(cmd.modelPath ?? io.env.LAKEWALL_MODEL);

    // The model's own ACLs are checked before any connection, let alone any write.
    if (cmd.verb !== 'verify') {
      const violations = checkModelPolicy(model, cmd.env);
      if (violations.length > 0) {
        if (cmd.json)
          emitJson({ command: cmd.verb, env: cmd.env, exitCode: EXIT.POLICY, policyViolations: violations });
        else {
          out(
            `The model's ACLs would give MNPI access to principals not cleared for it; nothing was written:`,
          );
          out(renderViolations(violations).join('\n'));
        }
        return EXIT.POLICY;
      }
    }

    const { kafka, source } = await resolveConnection(
      { clientId: CLIENT_ID, ...cmd.connection },
      cmd.env === 'local',
      io.resolveDeps ?? { env: io.env },
    );
    logger.info(
      { env: cmd.env, brokers: kafka.brokers, credentials: source },
      `connecting to ${(kafka.brokers as string[]).join(',')} (${source})`,
    );
    const opts = { model, env: cmd.env, kafka, allowDelete: cmd.allowDelete, logger };

    if (cmd.verb === 'plan') {
      const plan = await planModel(opts);
      const code = planExitCode(plan);
      if (cmd.json) emitJson({ command: 'plan', exitCode: code, plan });
      else out(renderPlan(plan, { verbose: cmd.verbose }));
      return code;
    }
    if (cmd.verb === 'apply') {
      const report = await applyModel({ ...opts, throwOnFailure: false });
      const code = applyExitCode(report);
      logger.info(
        { outcome: report.outcome, seconds: report.seconds, adminRequests: report.adminRequests },
        `apply: ${report.outcome}`,
      );
      if (cmd.json) emitJson({ command: 'apply', exitCode: code, ...report });
      else out(renderApplyReport(report));
      return code;
    }
    const report = await verifyModel(opts);
    const code = verifyExitCode(report);
    if (cmd.json) emitJson({ command: 'verify', exitCode: code, ...report });
    else out(renderVerifyReport(report));
    return code;
  } catch (err) {
    if (err instanceof PlatformModelError) {
      io.stderr(`${err.message}\n`);
    } else if (err instanceof KafkaAccessError || err instanceof ConnectionConfigError) {
      io.stderr(`error: ${err.message}\n`);
    } else {
      io.stderr(`error: ${(err as Error)?.message ?? String(err)}\n`);
      if (io.env.LAKEWALL_DEBUG) io.stderr(`${(err as Error)?.stack ?? ''}\n`);
    }
    if (cmd.json)
      emitJson({
        command: cmd.verb,
        env: cmd.env,
        exitCode: EXIT.ERROR,
        error: (err as Error)?.message ?? String(err),
      });
    return EXIT.ERROR;
  }
}
