import { Kafka, logLevel, type Admin, type KafkaConfig, type logCreator } from 'kafkajs';
import {
  deriveAcls,
  deriveAuditTopic,
  deriveTopics,
  type EnvName,
  type PlatformModel,
} from '@lakewall/platform-model';
import { countingAdmin, readClusterState } from './kafka/admin-ops';
import { describeKafkaError } from './kafka/errors';
import { executePlan } from './kafka/executor';
import { silentLogger, type TopicAdminLogger } from './logger';
import { driftOf, isManagedTopic, planChanges } from './planner';
import {
  checkMnpiPolicy,
  desiredMnpiTopics,
  mnpiTopicsOf,
  policyContextFor,
  type PolicyViolation,
} from './policy/mnpi-policy';
import { topicNamePattern } from './policy/topic-pattern';
import type { ApplyReport, ClusterState, DesiredState, ExecutedStep, Plan, VerifyReport } from './types';

export interface ModelRunOptions {
  readonly model: PlatformModel;
  readonly env: EnvName;
  /** kafkajs client config (brokers, SASL, TLS). Short timeouts/retries are added when not set. */
  readonly kafka: KafkaConfig;
  readonly allowDelete?: boolean;
  readonly logger?: TopicAdminLogger;
}

export interface ApplyOptions extends ModelRunOptions {
  /**
   * When true (the default) an apply that did not bring the cluster in line with the model
   * (policy violation, refused change, partial failure) throws ApplyFailedError carrying the
   * report, so a caller that ignores the result still fails closed.
   */
  readonly throwOnFailure?: boolean;
}

export class ApplyFailedError extends Error {
  constructor(readonly report: ApplyReport) {
    super(applyFailureMessage(report));
    this.name = 'ApplyFailedError';
  }
}

function applyFailureMessage(r: ApplyReport): string {
  if (r.outcome === 'policy-violation') {
    return `apply refused: the model's ACLs would leak MNPI (nothing written):\n${r.plan.policy.desired.map((v) => `  ${v.message}`).join('\n')}`;
  }
  if (r.outcome === 'refused') {
    return `apply refused (nothing written):\n${r.plan.topics
      .flatMap((t) => t.refusals)
      .map((x) => `  ${x}`)
      .join('\n')}`;
  }
  const bad = r.steps.filter((s) => s.status !== 'done');
  return `apply incomplete: ${r.steps.length - bad.length} of ${r.steps.length} steps done; not done:\n${bad
    .slice(0, 20)
    .map((s) => `  ${s.status} ${s.operation} ${s.target}: ${s.error ?? ''}`)
    .join('\n')}${bad.length > 20 ? `\n  ... and ${bad.length - 20} more` : ''}`;
}

export function desiredStateOf(model: PlatformModel, env: EnvName): DesiredState {
  return {
    env,
    managedPrefix: model.kafka.managedTopicPrefix,
    topics: [...deriveTopics(model, env), deriveAuditTopic(model, env)],
    acls: deriveAcls(model, env),
  };
}

/** Pure check of the model's own ACLs (no cluster needed): current MNPI topics and prefix capture. */
export function checkModelPolicy(model: PlatformModel, env: EnvName): PolicyViolation[] {
  const desired = desiredStateOf(model, env);
  return checkMnpiPolicy(desired.acls, policyContextFor(model, desiredMnpiTopics(desired.topics)));
}

function kafkajsLogs(logger: TopicAdminLogger): logCreator {
  return () =>
    ({ level, log }) => {
      const { message, ...extra } = log;
      // kafkajs is noisy about retries; the engine reports failures itself.
      logger.debug({ kafkajs: true, level, ...extra }, message);
    };
}

export function kafkaClient(config: KafkaConfig, logger: TopicAdminLogger = silentLogger): Kafka {
  return new Kafka({
    clientId: 'lakewall-topic-bootstrapper',
    connectionTimeout: 3000,
    authenticationTimeout: 5000,
    requestTimeout: 30000,
    ...config,
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 2000, ...config.retry },
    logLevel: config.logLevel ?? logLevel.WARN,
    logCreator: config.logCreator ?? kafkajsLogs(logger),
  });
}

function brokersOf(config: KafkaConfig): string[] {
  return Array.isArray(config.brokers) ? config.brokers : ['(dynamic brokers)'];
}

function usernameOf(config: KafkaConfig): string | undefined {
  const sasl = config.sasl as { username?: string } | undefined;
  return sasl?.username;
}

interface Session {
  readonly admin: Admin;
  readonly counts: Record<string, number>;
  close(): Promise<void>;
}

async function openSession(opts: ModelRunOptions): Promise<Session> {
  const logger = opts.logger ?? silentLogger;
  const raw = kafkaClient(opts.kafka, logger).admin();
  try {
    await raw.connect();
  } catch (err) {
    await raw.disconnect().catch(() => undefined);
    throw describeKafkaError(err, brokersOf(opts.kafka), usernameOf(opts.kafka));
  }
  const { admin, counts } = countingAdmin(raw);
  return { admin, counts, close: () => raw.disconnect().catch(() => undefined) };
}

async function readState(admin: Admin, desired: DesiredState, opts: ModelRunOptions): Promise<ClusterState> {
  const names = new Set(desired.topics.map((t) => t.name));
  try {
    return await readClusterState(admin, {
      include: (t) => names.has(t) || isManagedTopic(t, desired.managedPrefix),
    });
  } catch (err) {
    throw describeKafkaError(err, brokersOf(opts.kafka), usernameOf(opts.kafka));
  }
}

function buildPlan(desired: DesiredState, cluster: ClusterState, opts: ModelRunOptions): Plan {
  const ctx = policyContextFor(opts.model, []);
  const username = usernameOf(opts.kafka);
  return planChanges(desired, cluster, {
    allowDelete: opts.allowDelete,
    runningPrincipal: username ? `User:${username}` : undefined,
    policy: {
      clearances: ctx.clearances,
      mnpiPattern: topicNamePattern(opts.model.kafka.topicNaming, 'mnpi'),
    },
  });
}

const EMPTY_CLUSTER: ClusterState = { topicNames: [], topics: new Map(), acls: [] };

/** Reads the cluster and returns what an apply would do. Writes nothing. */
export async function planModel(opts: ModelRunOptions): Promise<Plan> {
  const desired = desiredStateOf(opts.model, opts.env);
  const session = await openSession(opts);
  try {
    const plan = buildPlan(desired, await readState(session.admin, desired, opts), opts);
    return { ...plan, adminRequests: { ...session.counts } };
  } finally {
    await session.close();
  }
}

/**
 * Makes the cluster match the model. Idempotent. Refuses to write anything when the model's own
 * ACLs would leak MNPI (outcome `policy-violation`, checked before connecting) or when the plan
 * contains a refused change (outcome `refused`).
 */
export async function applyModel(opts: ApplyOptions): Promise<ApplyReport> {
  const report = await applyModelReport(opts);
  if (
    (opts.throwOnFailure ?? true) &&
    ['policy-violation', 'refused', 'partial-failure'].includes(report.outcome)
  ) {
    throw new ApplyFailedError(report);
  }
  return report;
}

async function applyModelReport(opts: ModelRunOptions): Promise<ApplyReport> {
  const started = Date.now();
  const logger = opts.logger ?? silentLogger;
  const desired = desiredStateOf(opts.model, opts.env);
  const seconds = () => (Date.now() - started) / 1000;

  if (checkModelPolicy(opts.model, opts.env).length > 0) {
    const plan = buildPlan(desired, EMPTY_CLUSTER, opts);
    for (const v of plan.policy.desired)
      logger.error({ policy: v.kind, principal: v.principal, topic: v.topic }, v.message);
    return { plan, outcome: 'policy-violation', steps: [], adminRequests: {}, seconds: seconds() };
  }

  const session = await openSession(opts);
  try {
    const plan = buildPlan(desired, await readState(session.admin, desired, opts), opts);
    logger.info(
      { env: opts.env, summary: plan.summary },
      `plan: ${plan.summary.pendingChanges} change(s) to apply`,
    );
    if (plan.summary.refusals > 0) {
      for (const t of plan.topics) for (const r of t.refusals) logger.error({ topic: t.topic }, r);
      return {
        plan,
        outcome: 'refused',
        steps: [],
        adminRequests: { ...session.counts },
        seconds: seconds(),
      };
    }
    if (plan.summary.pendingChanges === 0) {
      return {
        plan,
        outcome: 'no-changes',
        steps: [],
        adminRequests: { ...session.counts },
        seconds: seconds(),
      };
    }
    const steps: ExecutedStep[] = await executePlan(session.admin, plan, {
      brokers: brokersOf(opts.kafka),
      username: usernameOf(opts.kafka),
      logger,
    });
    const failed = steps.some((s) => s.status !== 'done');
    return {
      plan,
      outcome: failed ? 'partial-failure' : 'applied',
      steps,
      adminRequests: { ...session.counts },
      seconds: seconds(),
    };
  } finally {
    await session.close();
  }
}

/** Checks the live cluster: MNPI policy on every live ACL, and drift under the managed prefix. */
export async function verifyModel(opts: ModelRunOptions): Promise<VerifyReport> {
  const desired = desiredStateOf(opts.model, opts.env);
  const session = await openSession(opts);
  try {
    const cluster = await readState(session.admin, desired, opts);
    const plan = buildPlan(desired, cluster, { ...opts, allowDelete: false });
    return {
      plan,
      drift: driftOf(plan),
      violations: liveViolations(opts, desired, cluster),
      adminRequests: { ...session.counts },
    };
  } finally {
    await session.close();
  }
}

/** Policy over exactly the ACLs the cluster holds now, plus the model's own (it must be clean too). */
function liveViolations(
  opts: ModelRunOptions,
  desired: DesiredState,
  cluster: ClusterState,
): PolicyViolation[] {
  const pattern = topicNamePattern(opts.model.kafka.topicNaming, 'mnpi');
  const ctx = {
    ...policyContextFor(
      opts.model,
      mnpiTopicsOf(desiredMnpiTopics(desired.topics), cluster.topicNames, pattern),
    ),
    mnpiPattern: pattern,
  };
  const found = new Map<string, PolicyViolation>();
  for (const v of [...checkMnpiPolicy(cluster.acls, ctx), ...checkMnpiPolicy(desired.acls, ctx)])
    found.set(v.message, v);
  return [...found.values()];
}
