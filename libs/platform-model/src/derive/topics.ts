import type { EnvName, PlatformModel, ZoneName } from '../schema';
import { tablesOf, topicName } from './tables';

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

const CDC_CLASS = 'cdc';

/** One CDC topic per source table, in the table's zone, sized for the environment. */
export function deriveTopics(model: PlatformModel, env: EnvName): DesiredTopic[] {
  const environment = model.environments[env];
  const base = model.kafka.topicClasses[CDC_CLASS];
  if (!base) throw new Error(`kafka.topicClasses.${CDC_CLASS} is not declared`);
  const override = environment.kafka.topicClasses[CDC_CLASS] ?? {};
  return tablesOf(model)
    .map((table) => ({
      name: topicName(model, table.name, table.classification),
      table: table.name,
      zone: table.classification,
      topicClass: CDC_CLASS,
      partitions: override.partitions ?? base.partitions,
      replicationFactor: environment.kafka.replicationFactor,
      configs: {
        ...base.configs,
        ...override.configs,
        'min.insync.replicas': String(environment.kafka.minInsyncReplicas),
      },
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function topicsInZone(model: PlatformModel, env: EnvName, zone: ZoneName): DesiredTopic[] {
  return deriveTopics(model, env).filter((t) => t.zone === zone);
}

const AUDIT_CLASS = 'audit';
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
 * The group prefix a principal reads the audit topic with: one throw-away group per read, never
 * committed, so readers never share or move each other's positions.
 */
export function auditReaderGroupPrefix(model: PlatformModel, principal: string): string {
  return `${model.project}-${principal}-audit-reader-`;
}
