import pino from 'pino';
import {
  loadPlatformModel,
  PlatformModelError,
  type EnvName,
  type PlatformModel,
} from '@lakewall/platform-model';
import type { KafkaConfig } from 'kafkajs';
import {
  ConnectionConfigError,
  mskIamKafkaConfig,
  resolveConnection,
  type ResolveDeps,
} from '@lakewall/kafka-connection';
import {
  applyModel,
  checkModelPolicy,
  ClusterLockHeldError,
  BreakGlassRefusedError,
  grantOwnAclsWithBreakGlass,
  canDescribeAcls,
  ClusterMismatchError,
  KafkaAccessError,
  planModel,
  verifyModel,
  type TopicAdminLogger,
} from '@lakewall/topic-admin';
import { applySubjectCompatibility } from '@lakewall/schema-rules';
import { parseCli, UsageError, type CliCommand } from './cli';
import { envelope, errorEnvelope, type Envelope } from './envelope';
import {
  applyExitCode,
  EXIT,
  planExitCode,
  renderApplyReport,
  renderPlan,
  renderVerifyReport,
  renderViolations,
  verifyExitCode,
} from './render';

/** The kafkajs client id the bootstrapper connects with. */
export const CLIENT_ID = 'lakewall-topic-bootstrapper';

/**
 * The break-glass identity's connection. SCRAM: the same brokers and TLS settings (unless it names
 * its own brokers), with no environment fallback, so the bootstrapper's own credentials can never
 * stand in for it. MSK IAM: the role's identity on the IAM listener, in the task's region.
 */
async function breakGlassConnection(cmd: CliCommand, kafka: KafkaConfig, io: Io): Promise<KafkaConfig> {
  const glass = cmd.breakGlass!;
  if (glass.kind === 'msk-iam') {
    const region = cmd.connection.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
    if (!region)
      throw new ConnectionConfigError(
        'MSK IAM break glass: no region (set AWS_REGION, as ECS does, or pass --region)',
      );
    return mskIamKafkaConfig(
      { clientId: CLIENT_ID },
      glass.brokers.split(',').map((b) => b.trim()),
      { roleArn: glass.roleArn, region, sessionName: 'lakewall-bootstrapper-break-glass' },
    );
  }
  const { kafka: breakGlass } = await resolveConnection(
    {
      ...cmd.connection,
      clientId: CLIENT_ID,
      brokers: glass.brokers ?? (kafka.brokers as string[]).join(','),
      tls: cmd.connection.tls ?? Boolean(kafka.ssl),
      caFile: cmd.connection.caFile ?? io.env.LAKEWALL_KAFKA_CA_FILE,
      username: glass.username,
      password: glass.password,
      secretArn: glass.secretArn,
    },
    false,
    { ...(io.resolveDeps ?? {}), env: {} },
  );
  return breakGlass;
}

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
  const emit = (e: Envelope) => out(JSON.stringify(e, null, 2));

  try {
    const model = (io.loadModel ?? loadPlatformModel)(cmd.modelPath ?? io.env.LAKEWALL_MODEL);
    return await runCommand(cmd, model, io, logger, out, emit);
  } catch (err) {
    return reportError(cmd, err, io, emit);
  }
}

async function runCommand(
  cmd: CliCommand,
  model: PlatformModel,
  io: Io,
  logger: TopicAdminLogger,
  out: (text: string) => void,
  emit: (e: Envelope) => void,
): Promise<number> {
  const base = { command: cmd.verb, env: cmd.env };
  // The model's own ACLs are checked before any connection, let alone any write.
  const own = checkModelPolicy(model, cmd.env);
  if (own.length > 0) {
    if (cmd.json) emit(envelope({ ...base, exitCode: EXIT.POLICY, violations: own }));
    else {
      out(
        `MNPI POLICY VIOLATION: the model's ACLs would give principals not cleared for MNPI a way to reach it; nothing was done:`,
      );
      out(renderViolations(own).join('\n'));
    }
    return EXIT.POLICY;
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
  const opts = {
    model,
    env: cmd.env,
    kafka,
    allowDelete: cmd.allowDelete,
    logger,
    connectTimeoutMs: cmd.connectTimeoutMs,
  };

  if (cmd.verb === 'plan') {
    const plan = await planModel(opts);
    const exitCode = planExitCode(plan);
    if (cmd.json)
      emit(
        envelope({
          ...base,
          exitCode,
          violations: [...plan.policy.desired, ...plan.policy.live],
          drift: plan.drift,
          plan,
        }),
      );
    else out(renderPlan(plan, { verbose: cmd.verbose }));
    return exitCode;
  }
  if (cmd.verb === 'apply') {
    if (cmd.breakGlass) {
      if (cmd.breakGlass.whenNeeded && (await canDescribeAcls(kafka, cmd.connectTimeoutMs))) {
        logger.info(
          { breakGlass: cmd.breakGlass.kind },
          'break glass not needed: the bootstrapper already holds its ACLs; not used',
        );
      } else {
        const breakGlass = await breakGlassConnection(cmd, kafka, io);
        const granted = await grantOwnAclsWithBreakGlass({ ...opts, breakGlass });
        logger.warn(
          { granted, breakGlass: cmd.breakGlass.kind },
          `break glass used: ${granted} ACLs of the bootstrapper created; never pass it again`,
        );
      }
    } else if (!(await canDescribeAcls(kafka, cmd.connectTimeoutMs))) {
      const who = cmd.connection.username ?? io.env.LAKEWALL_KAFKA_USERNAME ?? 'this principal';
      throw new KafkaAccessError(
        `${who} may not describe this cluster's ACLs: on a cluster it has never bootstrapped it holds no ACLs yet. ` +
          `Run apply once with a break-glass identity (--break-glass-username with LAKEWALL_BREAK_GLASS_PASSWORD, or --break-glass-secret-arn; on MSK --break-glass-iam-role-arn); ` +
          `it creates only the bootstrapper's own ACLs. Nothing was changed.`,
        'authorization',
      );
    }
    const report = await applyModel({ ...opts, throwOnFailure: false });
    let exitCode = applyExitCode(report);
    logger.info(
      { outcome: report.outcome, seconds: report.seconds, adminRequests: report.adminRequests },
      `apply: ${report.outcome}`,
    );
    if (exitCode === EXIT.OK && io.env.LAKEWALL_REGISTRY_URL)
      exitCode = await applyRegistryRules(model, cmd.env as EnvName, io.env.LAKEWALL_REGISTRY_URL, logger);
    if (cmd.json)
      emit(
        envelope({
          ...base,
          exitCode,
          violations: [...report.plan.policy.desired, ...report.revocation.violations],
          drift: report.plan.drift,
          plan: report.plan,
          apply: {
            outcome: report.outcome,
            revocation: { ...report.revocation, violations: undefined },
            steps: report.steps,
            adminRequests: report.adminRequests,
            seconds: report.seconds,
          },
        }),
      );
    else out(renderApplyReport(report));
    return exitCode;
  }
  const report = await verifyModel(opts);
  const exitCode = verifyExitCode(report);
  if (cmd.json)
    emit(
      envelope({ ...base, exitCode, violations: report.violations, drift: report.drift, plan: report.plan }),
    );
  else out(renderVerifyReport(report));
  return exitCode;
}

/**
 * The CDC subjects' compatibility rules (model: schemaCompatibility), set where the registry is
 * given (on AWS: its Confluent-compatible API). The deploy runs apply before it creates or updates
 * the connectors, so Debezium never registers a schema under the registry's default rule; a rule
 * that could not be set fails the run, and with it the deploy.
 */
export async function applyRegistryRules(
  model: PlatformModel,
  env: EnvName,
  ccompatUrl: string,
  logger: TopicAdminLogger,
): Promise<number> {
  try {
    const rules = await applySubjectCompatibility(model, env, ccompatUrl);
    logger.info(
      { registry: ccompatUrl, subjects: rules.length },
      `registry: compatibility rules of ${rules.length} CDC subject(s) in place`,
    );
    return EXIT.OK;
  } catch (err) {
    logger.error({ registry: ccompatUrl }, (err as Error)?.message ?? String(err));
    return EXIT.ERROR;
  }
}

function reportError(cmd: CliCommand, err: unknown, io: Io, emit: (e: Envelope) => void): number {
  if (err instanceof PlatformModelError) io.stderr(`${err.message}\n`);
  else if (
    err instanceof KafkaAccessError ||
    err instanceof ConnectionConfigError ||
    err instanceof ClusterMismatchError ||
    err instanceof ClusterLockHeldError ||
    err instanceof BreakGlassRefusedError
  )
    io.stderr(`error: ${err.message}\n`);
  else {
    io.stderr(`error: ${(err as Error)?.message ?? String(err)}\n`);
    if (io.env.LAKEWALL_DEBUG) io.stderr(`${(err as Error)?.stack ?? ''}\n`);
  }
  if (cmd.json) emit(errorEnvelope(cmd.verb, cmd.env as EnvName, err));
  return EXIT.ERROR;
}
