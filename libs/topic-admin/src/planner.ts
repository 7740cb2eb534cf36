import { aclKey, type AclBinding, type DesiredTopic } from '@lakewall/platform-model';
import {
  checkMnpiPolicy,
  desiredMnpiTopics,
  mnpiTopicsOf,
  violationKey,
  type PolicyContext,
} from './policy/mnpi-policy';
import { driftOf } from './drift';
import type {
  AclAction,
  AclPlanItem,
  ClusterState,
  ConfigChange,
  DesiredState,
  LiveTopic,
  Plan,
  PlanSummary,
  PolicyReport,
  TopicAction,
  TopicPlanItem,
} from './types';

export interface PlanOptions {
  readonly allowDelete?: boolean;
  /** "User:<name>" the apply runs as: ACLs it depends on are never deleted (unless they leak). */
  readonly runningPrincipal?: string;
  /** Clearances, protected resources and the MNPI name pattern; the MNPI topic list is computed here. */
  readonly policy: Omit<PolicyContext, 'mnpiTopics'>;
}

/** Topics the bootstrapper owns: anything whose name starts with the managed prefix. */
export function isManagedTopic(name: string, prefix: string): boolean {
  return name.startsWith(prefix);
}

function resourceKey(a: AclBinding): string {
  return `${a.resourceType}|${a.patternType}|${a.resourceName}`;
}

/**
 * ACLs the bootstrapper owns, and so reconciles:
 * - every ACL on a topic under the managed prefix;
 * - every ACL on a resource the model grants something on (its groups, transactional ids,
 *   Connect's and the heartbeat topics, the cluster);
 * - every non-topic ACL (group, cluster, transactional id, user, token) of a principal the model
 *   declares.
 * A model principal's grants on topics outside the managed prefix belong to the teams that own
 * those topics and are left alone; like every ACL on the cluster, they are still evaluated by
 * the MNPI policy, and revoked when they break it.
 */
export function isManagedAcl(acl: AclBinding, desired: DesiredState): boolean {
  if (acl.resourceType === 'TOPIC' && acl.resourceName.startsWith(desired.managedPrefix)) return true;
  if (desired.acls.some((d) => resourceKey(d) === resourceKey(acl))) return true;
  return acl.resourceType !== 'TOPIC' && desired.modelPrincipals.includes(acl.principal);
}

export function planTopic(desired: DesiredTopic, live: LiveTopic | undefined): TopicPlanItem {
  if (!live) {
    return {
      topic: desired.name,
      action: 'create',
      partitions: { desired: desired.partitions },
      replicationFactor: { desired: desired.replicationFactor },
      configChanges: Object.entries(desired.configs).map(([name, to]) => ({ name, to })),
      undeclaredConfigs: {},
      refusals: [],
    };
  }
  const refusals: string[] = [];
  if (desired.partitions < live.partitions) {
    refusals.push(
      `partitions only grow: ${desired.name} has ${live.partitions} partitions and the model asks for ${desired.partitions}; ` +
        `Kafka cannot remove partitions (it would reorder keys and lose data). Set the model back to ${live.partitions}, ` +
        `or recreate the topic deliberately.`,
    );
  }
  if (desired.replicationFactor !== live.replicationFactor) {
    refusals.push(
      `replication factor change refused: ${desired.name} has replication factor ${live.replicationFactor} and the model asks for ` +
        `${desired.replicationFactor}; changing it needs a partition reassignment (kafka-reassign-partitions) planned ` +
        `with the brokers' capacity in mind, which the bootstrapper does not do.`,
    );
  }
  const configChanges: ConfigChange[] = [];
  for (const [name, to] of Object.entries(desired.configs)) {
    const from = live.dynamicConfigs[name];
    if (from !== to) configChanges.push({ name, from, to });
  }
  const undeclaredConfigs: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(live.dynamicConfigs)) {
    if (!(name in desired.configs)) undeclaredConfigs[name] = value;
  }
  const hidden = Object.entries(undeclaredConfigs).filter(([, v]) => v === null);
  if (configChanges.length > 0 && hidden.length > 0) {
    refusals.push(
      `config update refused: ${desired.name} has sensitive topic configs (${hidden.map(([n]) => n).join(', ')}) the broker ` +
        `does not reveal, and AlterConfigs replaces the whole set, so updating would erase them.`,
    );
  }
  const grow = desired.partitions > live.partitions;
  const action: TopicAction = grow || configChanges.length > 0 ? 'update' : 'unchanged';
  const mergedConfigs: Record<string, string> = {};
  for (const [name, value] of Object.entries(live.dynamicConfigs))
    if (value !== null) mergedConfigs[name] = value;
  Object.assign(mergedConfigs, desired.configs);
  return {
    topic: desired.name,
    action,
    partitions: { current: live.partitions, desired: desired.partitions },
    replicationFactor: { current: live.replicationFactor, desired: desired.replicationFactor },
    configChanges,
    undeclaredConfigs,
    mergedConfigs: configChanges.length > 0 ? mergedConfigs : undefined,
    refusals,
  };
}

function planTopics(desired: DesiredState, cluster: ClusterState, allowDelete: boolean): TopicPlanItem[] {
  const desiredNames = new Set(desired.topics.map((t) => t.name));
  const topics: TopicPlanItem[] = desired.topics.map((t) => planTopic(t, cluster.topics.get(t.name)));
  for (const name of cluster.topicNames) {
    if (desiredNames.has(name) || !isManagedTopic(name, desired.managedPrefix)) continue;
    const live = cluster.topics.get(name);
    topics.push({
      topic: name,
      action: allowDelete ? 'delete' : 'would-delete',
      partitions: { current: live?.partitions },
      replicationFactor: { current: live?.replicationFactor },
      configChanges: [],
      undeclaredConfigs: live?.dynamicConfigs ?? {},
      refusals: [],
    });
  }
  return topics.sort((a, b) => a.topic.localeCompare(b.topic));
}

/** The policy over the model's ACLs alone, and over what the cluster holds now plus the model's. */
function evaluatePolicy(desired: DesiredState, cluster: ClusterState, options: PlanOptions): PolicyReport {
  const pattern = options.policy.mnpiPattern;
  const desiredMnpi = desiredMnpiTopics(desired.topics);
  const ctx: PolicyContext = {
    ...options.policy,
    mnpiTopics: pattern ? mnpiTopicsOf(desiredMnpi, cluster.topicNames, pattern) : desiredMnpi,
  };
  const own = checkMnpiPolicy(desired.acls, ctx);
  const ownKeys = new Set(own.map(violationKey));
  const byKey = new Map<string, AclBinding>();
  for (const a of [...cluster.acls, ...desired.acls]) byKey.set(aclKey(a), a);
  const live = checkMnpiPolicy([...byKey.values()], ctx).filter((v) => !ownKeys.has(violationKey(v)));
  return { desired: own, live };
}

function planAcls(
  desired: DesiredState,
  cluster: ClusterState,
  policy: PolicyReport,
  options: PlanOptions,
): AclPlanItem[] {
  const allowDelete = options.allowDelete ?? false;
  const liveByKey = new Map(cluster.acls.map((a) => [aclKey(a), a]));
  const desiredByKey = new Map(desired.acls.map((a) => [aclKey(a), a]));
  // Every live ACL that grants a live violation is revoked, whoever owns it.
  const leaking = new Map<string, string>();
  for (const v of policy.live)
    for (const a of v.grantedBy)
      if (liveByKey.has(aclKey(a)) && !desiredByKey.has(aclKey(a)))
        leaking.set(aclKey(a), leaking.get(aclKey(a)) ?? `${v.kind}: ${v.message}`);

  const acls: AclPlanItem[] = [];
  for (const [key, acl] of desiredByKey)
    acls.push({ acl, action: liveByKey.has(key) ? 'unchanged' : 'create' });
  for (const [key, acl] of liveByKey) {
    if (desiredByKey.has(key)) continue;
    const leak = leaking.get(key);
    if (leak) {
      acls.push({ acl, action: allowDelete ? 'revoke' : 'would-revoke', reason: leak });
      continue;
    }
    if (!isManagedAcl(acl, desired)) continue;
    if (options.runningPrincipal && acl.principal === options.runningPrincipal) {
      acls.push({
        acl,
        action: 'kept',
        reason: `the running principal ${options.runningPrincipal} depends on it; remove it with another principal`,
      });
    } else {
      acls.push({ acl, action: allowDelete ? 'delete' : 'would-delete' });
    }
  }
  return acls.sort((a, b) => aclKey(a.acl).localeCompare(aclKey(b.acl)));
}

export function planChanges(desired: DesiredState, cluster: ClusterState, options: PlanOptions): Plan {
  const allowDelete = options.allowDelete ?? false;
  const topics = planTopics(desired, cluster, allowDelete);
  const policy = evaluatePolicy(desired, cluster, options);
  const acls = planAcls(desired, cluster, policy, options);
  const base = {
    env: desired.env,
    managedPrefix: desired.managedPrefix,
    allowDelete,
    runningPrincipal: options.runningPrincipal,
    topics,
    acls,
    policy,
  };
  const drift = driftOf(base);
  return { ...base, drift, summary: summarize(topics, acls, policy, drift.length) };
}

function summarize(
  topics: readonly TopicPlanItem[],
  acls: readonly AclPlanItem[],
  policy: PolicyReport,
  drift: number,
): PlanSummary {
  const t: Record<TopicAction, number> = { create: 0, update: 0, unchanged: 0, delete: 0, 'would-delete': 0 };
  const a: Record<AclAction, number> = {
    create: 0,
    unchanged: 0,
    delete: 0,
    'would-delete': 0,
    kept: 0,
    revoke: 0,
    'would-revoke': 0,
  };
  for (const i of topics) t[i.action]++;
  for (const i of acls) a[i.action]++;
  return {
    topics: t,
    acls: a,
    refusals: topics.reduce((n, i) => n + i.refusals.length, 0),
    policyViolations: policy.desired.length + policy.live.length,
    pendingChanges: t.create + t.update + t.delete + a.create + a.delete + a.revoke,
    blockedDeletions: t['would-delete'] + a['would-delete'] + a['would-revoke'],
    drift,
  };
}
