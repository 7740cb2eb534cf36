import type { EnvName, PlatformModel, ZoneName } from '../schema';
import { principalsIn, tablesOf, topicName } from './tables';

export interface DesiredTopic {
  readonly name: string;
  /** The source table of a CDC topic; absent for the platform's own topics (the audit log). */
  readonly table?: string;
  readonly zone: ZoneName;
  readonly topicClass: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Only the configs the model declares; anything else on the cluster is left alone. */
  readonly configs: Readonly<Record<string, string>>;
}

export const CDC_CLASS = 'cdc';
export const ICEBERG_CONTROL_CLASS = 'iceberg-control';
/**
 * The control topic takes the CDC naming with this in place of a table, so it lies under the managed
 * prefix (the bootstrapper owns it) and its MNPI instance has an MNPI-shaped name (the MNPI policy's
 * name pattern covers it). A source table of this name is refused.
 */
export const ICEBERG_CONTROL_TABLE = '_iceberg_control';

function topicOfClass(
  model: PlatformModel,
  env: EnvName,
  cls: string,
  table: string,
  zone: ZoneName,
): DesiredTopic {
  const environment = model.environments[env];
  const base = model.kafka.topicClasses[cls];
  if (!base) throw new Error(`kafka.topicClasses.${cls} is not declared`);
  const override = environment.kafka.topicClasses[cls] ?? {};
  return {
    name: topicName(model, table, zone),
    table,
    zone,
    topicClass: cls,
    partitions: override.partitions ?? base.partitions,
    replicationFactor: environment.kafka.replicationFactor,
    configs: {
      ...base.configs,
      ...override.configs,
      'min.insync.replicas': String(environment.kafka.minInsyncReplicas),
    },
  };
}

/** The zones that have a lake sink in `env`: each gets its own Iceberg control topic. */
export function sinkZones(model: PlatformModel, env: EnvName): ZoneName[] {
  const zones = principalsIn(model, env).flatMap((p) =>
    p.lake?.write && p.kafka?.consume ? p.lake.write.zones : [],
  );
  return [...new Set(zones)].sort();
}

/** One CDC topic per source table, in the table's zone, sized for the environment. */
export function deriveCdcTopics(model: PlatformModel, env: EnvName): DesiredTopic[] {
  return tablesOf(model)
    .map((table) => {
      if (table.name === ICEBERG_CONTROL_TABLE)
        throw new Error(`table name '${ICEBERG_CONTROL_TABLE}' is reserved for the Iceberg control topics`);
      return topicOfClass(model, env, CDC_CLASS, table.name, table.classification);
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Each sink zone's Iceberg control topic, classified as that zone. */
export function icebergControlTopic(model: PlatformModel, env: EnvName, zone: ZoneName): DesiredTopic {
  return topicOfClass(model, env, ICEBERG_CONTROL_CLASS, ICEBERG_CONTROL_TABLE, zone);
}

/** Every topic the bootstrapper manages: the CDC topics and the sinks' control topics. */
export function deriveTopics(model: PlatformModel, env: EnvName): DesiredTopic[] {
  return [
    ...deriveCdcTopics(model, env),
    ...sinkZones(model, env).map((zone) => icebergControlTopic(model, env, zone)),
  ].sort((a, b) => a.name.localeCompare(b.name));
}

/** The CDC topics of one zone (what Debezium writes and what the zone's readers consume). */
export function topicsInZone(model: PlatformModel, env: EnvName, zone: ZoneName): DesiredTopic[] {
  return deriveCdcTopics(model, env).filter((t) => t.zone === zone);
}

const AUDIT_CLASS = 'audit';
const FINDINGS_CLASS = 'findings';
const DAY_MS = 86_400_000;

/**
 * The audit topic: MNPI (its records name MNPI resources), kept for the environment's audit
 * retention (the lake's where the environment sets none), never compacted.
 */
export function deriveAuditTopic(model: PlatformModel, env: EnvName): DesiredTopic {
  const environment = model.environments[env];
  const days = environment.audit?.retentionDays ?? environment.lake.retentionDays;
  return {
    name: model.kafka.auditTopic.name,
    zone: 'mnpi',
    topicClass: AUDIT_CLASS,
    partitions: model.kafka.auditTopic.partitions,
    replicationFactor: environment.kafka.replicationFactor,
    configs: {
      'cleanup.policy': 'delete',
      'retention.ms': String(days * DAY_MS),
      'min.insync.replicas': String(environment.kafka.minInsyncReplicas),
    },
  };
}

/**
 * The findings topic: the monitor's leak findings, its containments and their acknowledgments.
 * MNPI (findings name MNPI columns), kept like the audit log: a finding's review is audit evidence.
 */
export function deriveFindingsTopic(model: PlatformModel, env: EnvName): DesiredTopic {
  const audit = deriveAuditTopic(model, env);
  return {
    ...audit,
    name: model.kafka.findingsTopic.name,
    topicClass: FINDINGS_CLASS,
    partitions: model.kafka.findingsTopic.partitions,
  };
}

/** The platform's own topics under the managed prefix (not CDC): the audit log and the findings. */
export function derivePlatformTopics(model: PlatformModel, env: EnvName): DesiredTopic[] {
  return [deriveAuditTopic(model, env), deriveFindingsTopic(model, env)];
}

/** The group prefix a principal reads the findings topic with (one group per reading process). */
export function findingsReaderGroupPrefix(model: PlatformModel, principal: string): string {
  return `${model.project}-${principal}-findings-reader-`;
}

/**
 * The group prefix a principal reads the audit topic with: one throw-away group per read, never
 * committed, so readers never share or move each other's positions.
 */
export function auditReaderGroupPrefix(model: PlatformModel, principal: string): string {
  return `${model.project}-${principal}-audit-reader-`;
}
