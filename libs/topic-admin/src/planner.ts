import { aclKey, type AclBinding, type DesiredTopic } from '@lakewall/platform-model';
import { checkMnpiPolicy, desiredMnpiTopics, mnpiTopicsOf, type PolicyContext } from './policy/mnpi-policy';
import type {
  AclAction,
  AclPlanItem,
  ClusterState,
  ConfigChange,
  DesiredState,
  LiveTopic,
  Plan,
  PlanSummary,
  TopicAction,
  TopicPlanItem,
} from './types';

export interface PlanOptions {
  readonly allowDelete?: boolean;
  /** "User:<name>" the apply runs as: ACLs it depends on are never deleted. */
  readonly runningPrincipal?: string;
  /** Clearances and the MNPI name pattern; the MNPI topic list is computed here. */
  readonly policy: Omit<PolicyContext, 'mnpiTopics'>;
}

/** Topics and ACLs the bootstrapper owns: anything whose topic name starts with the managed prefix. */
export function isManagedTopic(name: string, prefix: string): boolean {
  return name.startsWith(prefix);
}

export function isManagedAcl(acl: AclBinding, prefix: string): boolean {
  return acl.resourceType === 'TOPIC' && acl.resourceName.startsWith(prefix);
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

export function planChanges(desired: DesiredState, cluster: ClusterState, options: PlanOptions): Plan {
  const allowDelete = options.allowDelete ?? false;
  const prefix = desired.managedPrefix;
  const desiredNames = new Set(desired.topics.map((t) => t.name));

  const topics: TopicPlanItem[] = desired.topics.map((t) => planTopic(t, cluster.topics.get(t.name)));
  for (const name of cluster.topicNames) {
    if (desiredNames.has(name) || !isManagedTopic(name, prefix)) continue;
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
  topics.sort((a, b) => a.topic.localeCompare(b.topic));

  const liveByKey = new Map(cluster.acls.map((a) => [aclKey(a), a]));
  const desiredByKey = new Map(desired.acls.map((a) => [aclKey(a), a]));
  const acls: AclPlanItem[] = [];
  for (const [key, acl] of desiredByKey)
    acls.push({ acl, action: liveByKey.has(key) ? 'unchanged' : 'create' });
  for (const [key, acl] of liveByKey) {
    if (desiredByKey.has(key) || !isManagedAcl(acl, prefix)) continue;
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
  acls.sort((a, b) => aclKey(a.acl).localeCompare(aclKey(b.acl)));

  // Policy: the model's own ACLs, and the ACLs the cluster will hold once this plan is applied.
  const desiredMnpi = desiredMnpiTopics(desired.topics);
  const pattern = options.policy.mnpiPattern;
  const mnpiTopics = pattern ? mnpiTopicsOf(desiredMnpi, cluster.topicNames, pattern) : desiredMnpi;
  const ctx: PolicyContext = { ...options.policy, mnpiTopics };
  const after = [
    ...acls.filter((i) => i.action !== 'delete').map((i) => i.acl),
    ...cluster.acls.filter((a) => !isManagedAcl(a, prefix) && !desiredByKey.has(aclKey(a))),
  ];
  const policy = {
    desired: checkMnpiPolicy(desired.acls, ctx),
    live: [] as ReturnType<typeof checkMnpiPolicy>,
  };
  const desiredMessages = new Set(policy.desired.map((v) => v.message));
  policy.live = checkMnpiPolicy(after, ctx).filter((v) => !desiredMessages.has(v.message));

  return {
    env: desired.env,
    managedPrefix: prefix,
    allowDelete,
    runningPrincipal: options.runningPrincipal,
    topics,
    acls,
    policy,
    summary: summarize(topics, acls, policy.desired.length + policy.live.length),
  };
}

function summarize(
  topics: readonly TopicPlanItem[],
  acls: readonly AclPlanItem[],
  policyViolations: number,
): PlanSummary {
  const t: Record<TopicAction, number> = { create: 0, update: 0, unchanged: 0, delete: 0, 'would-delete': 0 };
  const a: Record<AclAction, number> = { create: 0, unchanged: 0, delete: 0, 'would-delete': 0, kept: 0 };
  for (const i of topics) t[i.action]++;
  for (const i of acls) a[i.action]++;
  return {
    topics: t,
    acls: a,
    refusals: topics.reduce((n, i) => n + i.refusals.length, 0),
    policyViolations,
    pendingChanges: t.create + t.update + t.delete + a.create + a.delete,
  };
}

/** Differences between the model and the cluster under the managed prefix, for `verify`. */
export function driftOf(plan: Plan): string[] {
  const drift: string[] = [];
  for (const t of plan.topics) {
    if (t.action === 'create') drift.push(`topic ${t.topic}: missing on the cluster`);
    if (t.action === 'delete' || t.action === 'would-delete')
      drift.push(`topic ${t.topic}: on the cluster under ${plan.managedPrefix} but not in the model`);
    if (t.action === 'update' || t.action === 'unchanged') {
      if (t.partitions.current !== t.partitions.desired) {
        drift.push(
          `topic ${t.topic}: ${t.partitions.current} partitions, the model says ${t.partitions.desired}`,
        );
      }
      if (t.replicationFactor.current !== t.replicationFactor.desired) {
        drift.push(
          `topic ${t.topic}: replication factor ${t.replicationFactor.current}, the model says ${t.replicationFactor.desired}`,
        );
      }
      for (const c of t.configChanges) {
        drift.push(
          `topic ${t.topic}: config ${c.name}=${c.from ?? '(broker default)'}, the model says ${c.to}`,
        );
      }
      for (const [name, value] of Object.entries(t.undeclaredConfigs)) {
        drift.push(
          `topic ${t.topic}: config ${name}=${value ?? '(sensitive)'} is set on the cluster but not declared in the model`,
        );
      }
    }
  }
  for (const a of plan.acls) {
    const acl = `${a.acl.permission} ${a.acl.operation} ${a.acl.resourceType} ${a.acl.patternType} "${a.acl.resourceName}" for ${a.acl.principal}@${a.acl.host}`;
    if (a.action === 'create') drift.push(`ACL missing on the cluster: ${acl}`);
    if (a.action === 'delete' || a.action === 'would-delete' || a.action === 'kept') {
      drift.push(`ACL on the cluster under ${plan.managedPrefix} but not in the model: ${acl}`);
    }
  }
  return drift;
}
