import type { EnvName, PlatformModel, ZoneName } from '../schema';
import { cdcSourcePrincipal, debeziumHeartbeatTopic } from './debezium';
import { principalsIn } from './tables';
import { deriveSinks, sinkTransactionalIdPrefixes } from './sinks';
import {
  auditReaderGroupPrefix,
  deriveAuditTopic,
  deriveFindingsTopic,
  findingsReaderGroupPrefix,
  topicsInZone,
} from './topics';

/** Kafka's ACL resource types (USER and DELEGATION_TOKEN matter for impersonation through tokens). */
export const ACL_RESOURCE_TYPES = [
  'TOPIC',
  'GROUP',
  'CLUSTER',
  'TRANSACTIONAL_ID',
  'DELEGATION_TOKEN',
  'USER',
] as const;
export type AclResourceType = (typeof ACL_RESOURCE_TYPES)[number];
export type AclPatternType = 'LITERAL' | 'PREFIXED';
/** Kafka's ACL operations, in the broker's own names. */
export const ACL_OPERATIONS = [
  'ALL',
  'READ',
  'WRITE',
  'CREATE',
  'DELETE',
  'ALTER',
  'DESCRIBE',
  'CLUSTER_ACTION',
  'DESCRIBE_CONFIGS',
  'ALTER_CONFIGS',
  'IDEMPOTENT_WRITE',
  'CREATE_TOKENS',
  'DESCRIBE_TOKENS',
] as const;
export type AclOperation = (typeof ACL_OPERATIONS)[number];
export type AclPermission = 'ALLOW' | 'DENY';

/** A Kafka ACL binding, in the broker's own vocabulary. */
export interface AclBinding {
  readonly principal: string; // "User:<name>"
  readonly host: string;
  readonly resourceType: AclResourceType;
  readonly resourceName: string;
  readonly patternType: AclPatternType;
  readonly operation: AclOperation;
  readonly permission: AclPermission;
}

export const CLUSTER_RESOURCE = 'kafka-cluster';

export function kafkaPrincipal(name: string): string {
  return `User:${name}`;
}

export function aclKey(acl: AclBinding): string {
  return [
    acl.principal,
    acl.host,
    acl.resourceType,
    acl.patternType,
    acl.resourceName,
    acl.operation,
    acl.permission,
  ].join('|');
}

/**
 * The ACLs the model grants. Topic grants are LITERAL, one per topic, so a new MNPI topic can never
 * fall under an existing prefixed grant; only the bootstrapper, cleared for MNPI, holds prefixed
 * grants over the managed prefix.
 */
export function deriveAcls(model: PlatformModel, env: EnvName): AclBinding[] {
  const acls = new Map<string, AclBinding>();
  const allow = (
    name: string,
    resourceType: AclResourceType,
    resourceName: string,
    operations: AclOperation[],
    patternType: AclPatternType = 'LITERAL',
  ) => {
    for (const operation of operations) {
      const acl: AclBinding = {
        principal: kafkaPrincipal(name),
        host: '*',
        resourceType,
        resourceName,
        patternType,
        operation,
        permission: 'ALLOW',
      };
      acls.set(aclKey(acl), acl);
    }
  };
  const topicsOf = (zones: readonly ZoneName[]) => zones.flatMap((zone) => topicsInZone(model, env, zone));

  const cdcSource = cdcSourcePrincipal(model, env);

  for (const principal of principalsIn(model, env)) {
    const kafka = principal.kafka;
    if (!kafka) continue;
    const name = principal.name;
    for (const topic of topicsOf(kafka.produce ?? []))
      allow(name, 'TOPIC', topic.name, ['WRITE', 'DESCRIBE']);
    // The CDC source connector creates and writes its heartbeat topic (outside the managed prefix).
    if (name === cdcSource)
      allow(name, 'TOPIC', debeziumHeartbeatTopic(model), ['CREATE', 'WRITE', 'DESCRIBE']);
    if (kafka.consume) {
      for (const topic of topicsOf(kafka.consume.zones))
        allow(name, 'TOPIC', topic.name, ['READ', 'DESCRIBE']);
      allow(name, 'GROUP', kafka.consume.group, ['READ', 'DESCRIBE']);
    }
    for (const topic of topicsOf(kafka.describe ?? []))
      allow(name, 'TOPIC', topic.name, ['DESCRIBE', 'DESCRIBE_CONFIGS']);
    if (kafka.describeGroups) {
      allow(name, 'GROUP', '*', ['DESCRIBE']);
      allow(name, 'CLUSTER', CLUSTER_RESOURCE, ['DESCRIBE']);
    }
    if (kafka.describeManagedPrefix)
      allow(name, 'TOPIC', model.kafka.managedTopicPrefix, ['DESCRIBE'], 'PREFIXED');
    if (kafka.manageTopics) {
      allow(
        name,
        'TOPIC',
        model.kafka.managedTopicPrefix,
        ['CREATE', 'DESCRIBE', 'DESCRIBE_CONFIGS', 'ALTER', 'ALTER_CONFIGS', 'DELETE'],
        'PREFIXED',
      );
    }
    if (kafka.appendAudit)
      allow(name, 'TOPIC', deriveAuditTopic(model, env).name, ['WRITE', 'DESCRIBE', 'DESCRIBE_CONFIGS']);
    if (kafka.readAudit) {
      allow(name, 'TOPIC', deriveAuditTopic(model, env).name, ['READ', 'DESCRIBE']);
      allow(name, 'GROUP', auditReaderGroupPrefix(model, name), ['READ'], 'PREFIXED');
    }
    if (kafka.appendFindings)
      allow(name, 'TOPIC', deriveFindingsTopic(model, env).name, ['WRITE', 'DESCRIBE']);
    if (kafka.reviewFindings) {
      // DESCRIBE_CONFIGS too: the API's plans read every declared topic's configs.
      allow(name, 'TOPIC', deriveFindingsTopic(model, env).name, [
        'READ',
        'WRITE',
        'DESCRIBE',
        'DESCRIBE_CONFIGS',
      ]);
      allow(name, 'GROUP', findingsReaderGroupPrefix(model, name), ['READ'], 'PREFIXED');
    }
    for (const topic of topicsOf(kafka.alterTopicConfigs ?? []))
      allow(name, 'TOPIC', topic.name, ['DESCRIBE_CONFIGS', 'ALTER_CONFIGS']);
    if (kafka.manageAcls) {
      allow(name, 'CLUSTER', CLUSTER_RESOURCE, ['ALTER', 'DESCRIBE']);
      // The apply lock: its one-partition topic and its group (see kafka.applyLock).
      allow(name, 'TOPIC', model.kafka.applyLock, ['CREATE', 'DESCRIBE', 'READ']);
      allow(name, 'GROUP', model.kafka.applyLock, ['READ', 'DESCRIBE']);
    }
    if (kafka.analyzeCluster) {
      // Broker configs (DESCRIBE_CONFIGS on the cluster) and every topic's partitions and configs,
      // including topics outside the model: a rebalance plan that missed one would move blindly.
      // Never ALTER: reassigning partitions stays with a deliberate, separately granted operation.
      allow(name, 'CLUSTER', CLUSTER_RESOURCE, ['DESCRIBE', 'DESCRIBE_CONFIGS']);
      allow(name, 'TOPIC', '*', ['DESCRIBE', 'DESCRIBE_CONFIGS']);
    }
    if (kafka.connectWorker) {
      const c = model.kafka.connect;
      for (const topic of [c.configTopic, c.offsetTopic, c.statusTopic]) {
        allow(name, 'TOPIC', topic, ['CREATE', 'READ', 'WRITE', 'DESCRIBE', 'DESCRIBE_CONFIGS']);
      }
      allow(name, 'GROUP', c.groupId, ['READ', 'DESCRIBE']);
    }
  }
  // Each Iceberg sink, as its own principal: its zone's control topic, the control groups and the
  // transactional ids of its own prefixes (per connector, so the zones never share one), and the
  // group Connect's coordinator uses. Nothing of another zone.
  for (const sink of deriveSinks(model, env)) {
    allow(sink.principal, 'TOPIC', sink.controlTopic, ['READ', 'WRITE', 'DESCRIBE']);
    allow(sink.principal, 'GROUP', `${sink.group}-coord`, ['READ', 'DESCRIBE']);
    allow(sink.principal, 'GROUP', sink.controlGroupPrefix, ['READ', 'DESCRIBE'], 'PREFIXED');
    for (const prefix of sinkTransactionalIdPrefixes(sink))
      allow(sink.principal, 'TRANSACTIONAL_ID', prefix, ['WRITE', 'DESCRIBE'], 'PREFIXED');
  }
  return [...acls.values()].sort((a, b) => aclKey(a).localeCompare(aclKey(b)));
}
