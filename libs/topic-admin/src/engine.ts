import type { KafkaConfig } from 'kafkajs';
import { localStackClusterId } from '@lakewall/kafka-connection';
import {
  deriveAcls,
  derivePlatformTopics,
  deriveTopics,
  kafkaPrincipal,
  type EnvName,
  type PlatformModel,
} from '@lakewall/platform-model';
import { readClusterState } from './kafka/admin-ops';
import { checkClusterIdentity, type ClusterIdentity } from './kafka/cluster-identity';
import { acquireClusterLock } from './kafka/cluster-lock';
import { describeKafkaError } from './kafka/errors';
import { executePlan, revokeAcls } from './kafka/executor';
import { brokersOf, openSession, usernameOf, type Session } from './kafka/session';
import { silentLogger, type TopicAdminLogger } from './logger';
import { isManagedTopic, planChanges } from './planner';
import {
  checkMnpiPolicy,
  desiredMnpiTopics,
  policyContextFor,
  type PolicyViolation,
} from './policy/mnpi-policy';
import type { ApplyReport, ClusterState, DesiredState, ExecutedStep, Plan, VerifyReport } from './types';

export interface ModelRunOptions {
  readonly model: PlatformModel;
  readonly env: EnvName;
  /** kafkajs client config (brokers, SASL, TLS). Short timeouts/retries are added when not set. */
  readonly kafka: KafkaConfig;
  readonly allowDelete?: boolean;
  readonly logger?: TopicAdminLogger;
  /**
   * The cluster the environment manages. Default: the model's environments.<env>.kafka.cluster, and
   * for `local` the local stack's cluster id.
   */
  readonly cluster?: ClusterIdentity;
  /** First-contact deadline, ms (see openSession). @default 15000 */
  readonly connectTimeoutMs?: number;
  /** How long a crashed apply keeps the cluster lock, ms. @default 10000 */
  readonly lockSessionTimeoutMs?: number;
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
  const lines = (items: readonly string[]) =>
    items
      .slice(0, 20)
      .map((x) => `  ${x}`)
      .join('\n');
  if (r.outcome === 'policy-violation')
    return `apply refused: the model's ACLs would leak MNPI (nothing written):\n${lines(r.plan.policy.desired.map((v) => v.message))}`;
  if (r.outcome === 'refused')
    return `apply refused (nothing written but revocations):\n${lines(r.plan.topics.flatMap((t) => t.refusals))}`;
  if (r.outcome === 'partial-failure') {
    const bad = r.steps.filter((s) => s.status !== 'done');
    return `apply incomplete: ${r.steps.length - bad.length} of ${r.steps.length} steps done; not done:\n${lines(
      bad.map((s) => `${s.status} ${s.operation} ${s.target}: ${s.error ?? ''}`),
    )}`;
  }
  return `apply found ${r.revocation.violations.length} live MNPI policy violation(s):\n${lines(r.revocation.violations.map((v) => v.message))}`;
}

export function desiredStateOf(model: PlatformModel, env: EnvName): DesiredState {
  return {
    env,
    managedPrefix: model.kafka.managedTopicPrefix,
    topics: [...deriveTopics(model, env), ...derivePlatformTopics(model, env)],
    acls: deriveAcls(model, env),
    modelPrincipals: Object.keys(model.principals).map(kafkaPrincipal),
  };
}

/** Pure check of the model's own ACLs (no cluster needed): current MNPI topics and prefix capture. */
export function checkModelPolicy(model: PlatformModel, env: EnvName): PolicyViolation[] {
  const desired = desiredStateOf(model, env);
  return checkMnpiPolicy(desired.acls, policyContextFor(model, desiredMnpiTopics(desired.topics), env));
}

/** The cluster identity the model (and, locally, the stack) gives an environment. */
export function expectedClusterOf(model: PlatformModel, env: EnvName): ClusterIdentity | undefined {
  const declared = model.environments[env].kafka.cluster;
  if (env === 'local' && !declared?.id) {
    const id = localStackClusterId();
    return id ? { id, source: "the local stack's cluster id" } : undefined;
  }
  return declared ? { ...declared, source: `platform.yaml environments.${env}.kafka.cluster` } : undefined;
}

async function connect(opts: ModelRunOptions): Promise<Session> {
  const session = await openSession({
    kafka: opts.kafka,
    logger: opts.logger,
    connectTimeoutMs: opts.connectTimeoutMs,
  });
  try {
    checkClusterIdentity(opts.env, opts.cluster ?? expectedClusterOf(opts.model, opts.env), {
      clusterId: session.clusterId,
      brokers: brokersOf(opts.kafka),
    });
    return session;
  } catch (err) {
    await session.close();
    throw err;
  }
}

async function readState(
  session: Session,
  desired: DesiredState,
  opts: ModelRunOptions,
): Promise<ClusterState> {
  const names = new Set(desired.topics.map((t) => t.name));
  try {
    return await readClusterState(session.admin, {
      include: (t) => names.has(t) || isManagedTopic(t, desired.managedPrefix),
    });
  } catch (err) {
    throw describeKafkaError(err, brokersOf(opts.kafka), usernameOf(opts.kafka));
  }
}

function buildPlan(desired: DesiredState, cluster: ClusterState, opts: ModelRunOptions): Plan {
  const { mnpiTopics: _none, ...policy } = policyContextFor(opts.model, [], opts.env);
  const username = usernameOf(opts.kafka);
  return planChanges(desired, cluster, {
    allowDelete: opts.allowDelete,
    runningPrincipal: username ? kafkaPrincipal(username) : undefined,
    policy,
  });
}

const EMPTY_CLUSTER: ClusterState = { topicNames: [], topics: new Map(), acls: [] };

/** Reads the cluster and returns what an apply would do. Writes nothing. */
export async function planModel(opts: ModelRunOptions): Promise<Plan> {
  const desired = desiredStateOf(opts.model, opts.env);
  const session = await connect(opts);
  try {
    const plan = buildPlan(desired, await readState(session, desired, opts), opts);
    return { ...plan, adminRequests: { ...session.counts } };
  } finally {
    await session.close();
  }
}

/**
 * Makes the cluster match the model. Idempotent. Refuses to write anything when the model's own
 * ACLs would leak MNPI (outcome `policy-violation`, checked before connecting). A live ACL that
 * breaks the policy is revoked first when allowDelete is set, whatever else the plan holds; a
 * refused change stops every other write (outcome `refused`).
 */
export async function applyModel(opts: ApplyOptions): Promise<ApplyReport> {
  const report = await applyModelReport(opts);
  const failed =
    ['policy-violation', 'refused', 'partial-failure'].includes(report.outcome) ||
    report.revocation.violations.length > 0;
  if ((opts.throwOnFailure ?? true) && failed) throw new ApplyFailedError(report);
  return report;
}

async function applyModelReport(opts: ModelRunOptions): Promise<ApplyReport> {
  const started = Date.now();
  const logger = opts.logger ?? silentLogger;
  const desired = desiredStateOf(opts.model, opts.env);
  const seconds = () => (Date.now() - started) / 1000;
  const noRevocation = { violations: [], revoked: 0, failed: 0, attempted: false };

  if (checkModelPolicy(opts.model, opts.env).length > 0) {
    const plan = buildPlan(desired, EMPTY_CLUSTER, opts);
    for (const v of plan.policy.desired)
      logger.error({ policy: v.kind, principal: v.principal, resource: v.resource }, v.message);
    return {
      plan,
      outcome: 'policy-violation',
      revocation: noRevocation,
      steps: [],
      adminRequests: {},
      seconds: seconds(),
    };
  }

  const session = await connect(opts);
  try {
    // One writer per cluster: the lock is taken before the cluster is read, so the plan cannot go stale.
    const lock = await acquireClusterLock(session.kafka, session.admin, {
      name: opts.model.kafka.applyLock,
      replicationFactor: opts.model.environments[opts.env].kafka.replicationFactor,
      sessionTimeoutMs: opts.lockSessionTimeoutMs,
    });
    try {
      return await applyLocked(opts, session, desired, started);
    } finally {
      await lock.release();
    }
  } finally {
    await session.close();
  }
}

async function applyLocked(
  opts: ModelRunOptions,
  session: Session,
  desired: DesiredState,
  started: number,
): Promise<ApplyReport> {
  const logger = opts.logger ?? silentLogger;
  const seconds = () => (Date.now() - started) / 1000;
  const plan = buildPlan(desired, await readState(session, desired, opts), opts);
  const execOpts = { brokers: brokersOf(opts.kafka), username: usernameOf(opts.kafka), logger };
  const steps: ExecutedStep[] = [];

  // A live leak is closed first, before and independently of anything else the plan holds.
  const leaks = plan.acls.filter((a) => a.action === 'revoke').map((a) => a.acl);
  for (const v of plan.policy.live)
    logger.error({ policy: v.kind, principal: v.principal, resource: v.resource }, v.message);
  if (leaks.length) steps.push(...(await revokeAcls(session.admin, leaks, execOpts)));
  const revocation = {
    violations: plan.policy.live,
    revoked: steps.filter((s) => s.status === 'done').length,
    failed: steps.filter((s) => s.status !== 'done').length,
    attempted: plan.allowDelete,
  };
  const report = (outcome: ApplyReport['outcome']): ApplyReport => ({
    plan,
    outcome,
    revocation,
    steps,
    adminRequests: { ...session.counts },
    seconds: seconds(),
  });

  logger.info(
    { env: opts.env, summary: plan.summary },
    `plan: ${plan.summary.pendingChanges} change(s) to apply`,
  );
  if (plan.summary.refusals > 0) {
    for (const t of plan.topics) for (const r of t.refusals) logger.error({ topic: t.topic }, r);
    return report('refused');
  }
  const others = plan.summary.pendingChanges - leaks.length;
  if (others > 0) steps.push(...(await executePlan(session.admin, plan, execOpts)));
  if (steps.some((s) => s.status !== 'done')) return report('partial-failure');
  return report(steps.length > 0 ? 'applied' : 'no-changes');
}

/** Checks the live cluster: the MNPI policy over every live ACL, and drift from the model. */
export async function verifyModel(opts: ModelRunOptions): Promise<VerifyReport> {
  const desired = desiredStateOf(opts.model, opts.env);
  const session = await connect(opts);
  try {
    const plan = buildPlan(desired, await readState(session, desired, opts), { ...opts, allowDelete: false });
    return {
      plan,
      drift: plan.drift,
      violations: [...plan.policy.desired, ...plan.policy.live],
      adminRequests: { ...session.counts },
    };
  } finally {
    await session.close();
  }
}
