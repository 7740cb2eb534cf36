import type { AclBinding } from '@lakewall/platform-model';
import type { DriftItem, Plan } from './types';

function aclText(a: AclBinding): string {
  return `${a.permission} ${a.operation} ${a.resourceType} ${a.patternType} "${a.resourceName}" for ${a.principal}@${a.host}`;
}

/** Every difference between the model and the cluster in a plan, structured (for verify and plan). */
export function driftOf(plan: Pick<Plan, 'topics' | 'acls' | 'managedPrefix'>): DriftItem[] {
  const drift: DriftItem[] = [];
  for (const t of plan.topics) {
    const topic = t.topic;
    if (t.action === 'create')
      drift.push({ kind: 'topic-missing', topic, message: `topic ${topic}: missing on the cluster` });
    if (t.action === 'delete' || t.action === 'would-delete')
      drift.push({
        kind: 'topic-undeclared',
        topic,
        message: `topic ${topic}: on the cluster under ${plan.managedPrefix} but not in the model`,
      });
    if (t.action !== 'update' && t.action !== 'unchanged') continue;
    if (t.partitions.current !== t.partitions.desired)
      drift.push({
        kind: 'partitions',
        topic,
        current: t.partitions.current,
        desired: t.partitions.desired,
        message: `topic ${topic}: ${t.partitions.current} partitions, the model says ${t.partitions.desired}`,
      });
    if (t.replicationFactor.current !== t.replicationFactor.desired)
      drift.push({
        kind: 'replication-factor',
        topic,
        current: t.replicationFactor.current,
        desired: t.replicationFactor.desired,
        message: `topic ${topic}: replication factor ${t.replicationFactor.current}, the model says ${t.replicationFactor.desired}`,
      });
    for (const c of t.configChanges)
      drift.push({
        kind: 'config',
        topic,
        config: c.name,
        current: c.from ?? null,
        desired: c.to,
        message: `topic ${topic}: config ${c.name}=${c.from ?? '(broker default)'}, the model says ${c.to}`,
      });
    for (const [name, value] of Object.entries(t.undeclaredConfigs))
      drift.push({
        kind: 'config-undeclared',
        topic,
        config: name,
        current: value,
        message: `topic ${topic}: config ${name}=${value ?? '(sensitive)'} is set on the cluster but not declared in the model`,
      });
  }
  for (const a of plan.acls) {
    if (a.action === 'create')
      drift.push({
        kind: 'acl-missing',
        acl: a.acl,
        message: `ACL missing on the cluster: ${aclText(a.acl)}`,
      });
    if (['delete', 'would-delete', 'kept', 'revoke', 'would-revoke'].includes(a.action))
      drift.push({
        kind: 'acl-undeclared',
        acl: a.acl,
        message: `ACL on the cluster that the model does not declare: ${aclText(a.acl)}`,
      });
  }
  return drift;
}
