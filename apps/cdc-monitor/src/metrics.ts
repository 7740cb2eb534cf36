/**
 * Every metric the monitor exports. Lag gauges are filled from the collector's in-memory snapshot
 * at scrape time: a scrape never waits on Kafka. Labels hold names only (topics, tables, groups,
 * kinds), never a record's key or value.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CONSUMER_STATUSES, type LagSnapshot } from '@lakewall/lag-collector';
import { FINDING_KINDS, type Finding } from '@lakewall/record-checker';
import type { MonitoredGroup } from '@lakewall/platform-model';
import { CONNECTOR_STATES, type ConnectorView } from './connector-watch';

export const DETECTION_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];
export const CDC_LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300];

export interface MonitorMetrics {
  readonly registry: Registry;
  readonly findings: Counter<'topic' | 'table' | 'kind'>;
  readonly recordsChecked: Counter<'topic'>;
  readonly detectionSeconds: Histogram;
  readonly cdcLatencySeconds: Histogram<'table'>;
  readonly containmentActions: Counter<'connector' | 'action' | 'result'>;
  countFinding(f: Finding): void;
}

export interface MetricsOptions {
  readonly lag: () => LagSnapshot | undefined;
  readonly checkedTopics: readonly string[];
  readonly groups: readonly MonitoredGroup[];
  readonly connector?: string;
  /** The sink connectors' last-read state. */
  readonly connectors?: () => ReadonlyMap<string, ConnectorView>;
}

export function createMetrics(o: MetricsOptions): MonitorMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const findings = new Counter({
    name: 'lakewall_monitor_findings_total',
    help: 'Findings of the record checker, by topic, model table and kind.',
    labelNames: ['topic', 'table', 'kind'] as const,
    registers: [registry],
  });
  const recordsChecked = new Counter({
    name: 'lakewall_monitor_records_checked_total',
    help: 'Records checked against the platform model, by topic.',
    labelNames: ['topic'] as const,
    registers: [registry],
  });
  for (const topic of o.checkedTopics) recordsChecked.inc({ topic }, 0);
  const detectionSeconds = new Histogram({
    name: 'lakewall_monitor_detection_seconds',
    help: "Time from a record's Kafka timestamp to the end of its check.",
    buckets: DETECTION_BUCKETS,
    registers: [registry],
  });
  const cdcLatencySeconds = new Histogram({
    name: 'lakewall_monitor_cdc_latency_seconds',
    help: "End-to-end CDC latency per table: the record's Kafka timestamp minus Debezium's source.ts_ms.",
    labelNames: ['table'] as const,
    buckets: CDC_LATENCY_BUCKETS,
    registers: [registry],
  });
  const containmentActions = new Counter({
    name: 'lakewall_monitor_containment_actions_total',
    help: 'Containment actions on the public sink connector, by result.',
    labelNames: ['connector', 'action', 'result'] as const,
    registers: [registry],
  });
  if (o.connector)
    for (const result of ['success', 'failure'])
      containmentActions.inc({ connector: o.connector, action: 'pause', result }, 0);

  new Gauge({
    name: 'lakewall_monitor_lag_slo_seconds',
    help: 'The lag objective (seconds) the platform model sets for each consumer group.',
    labelNames: ['consumergroup'] as const,
    registers: [registry],
    collect() {
      for (const g of o.groups) this.set({ consumergroup: g.group }, g.lagSloSeconds);
    },
  });
  new Gauge({
    name: 'lakewall_monitor_connector_state',
    help: "A sink connector's state as Kafka Connect reports it: 1 for its current state (MISSING: not registered).",
    labelNames: ['connector', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [connector, view] of o.connectors?.() ?? [])
        for (const state of CONNECTOR_STATES) this.set({ connector, state }, state === view.state ? 1 : 0);
    },
  });
  new Gauge({
    name: 'lakewall_monitor_connector_failed_tasks',
    help: "A sink connector's tasks in state FAILED.",
    labelNames: ['connector'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [connector, view] of o.connectors?.() ?? []) this.set({ connector }, view.failedTasks);
    },
  });
  registerLagGauges(registry, o.lag);
  return {
    registry,
    findings,
    recordsChecked,
    detectionSeconds,
    cdcLatencySeconds,
    containmentActions,
    countFinding: (f) => findings.inc({ topic: f.topic, table: f.table, kind: f.kind }),
  };
}

export { FINDING_KINDS };

type PartitionLabels = 'consumergroup' | 'topic' | 'partition';

/** The kafka_consumergroup_* and kafka_topic_partition_* families, as users' dashboards know them. */
function registerLagGauges(registry: Registry, lag: () => LagSnapshot | undefined): void {
  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    fill: (g: Gauge<L>, s: LagSnapshot) => void,
  ) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        const s = lag();
        if (s) fill(this, s);
      },
    });
  const partitionLabels = ['consumergroup', 'topic', 'partition'] as const;
  const eachPartition = (
    g: Gauge<PartitionLabels>,
    s: LagSnapshot,
    value: (p: LagSnapshot['groups'][number]['partitions'][number]) => number,
  ) => {
    for (const group of s.groups)
      for (const p of group.partitions)
        g.set({ consumergroup: group.group, topic: p.topic, partition: String(p.partition) }, value(p));
  };
  gauge(
    'kafka_consumergroup_current_offset',
    'Committed offset of a consumer group per partition.',
    partitionLabels,
    (g, s) => eachPartition(g, s, (p) => p.committed),
  );
  gauge(
    'kafka_consumergroup_lag',
    'Consumer group lag in offsets per partition (never negative).',
    partitionLabels,
    (g, s) => eachPartition(g, s, (p) => p.lag),
  );
  gauge(
    'kafka_consumergroup_lag_seconds',
    'Consumer group lag in seconds per partition, interpolated from sampled log-end offsets.',
    partitionLabels,
    (g, s) => eachPartition(g, s, (p) => p.lagSeconds),
  );
  gauge(
    'kafka_topic_partition_current_offset',
    'Log-end offset per partition.',
    ['topic', 'partition'] as const,
    (g, s) => {
      for (const p of s.topicPartitions) g.set({ topic: p.topic, partition: String(p.partition) }, p.current);
    },
  );
  gauge(
    'kafka_topic_partition_oldest_offset',
    'Log-start offset per partition.',
    ['topic', 'partition'] as const,
    (g, s) => {
      for (const p of s.topicPartitions) g.set({ topic: p.topic, partition: String(p.partition) }, p.oldest);
    },
  );
  gauge(
    'kafka_consumergroup_members',
    'Members of a consumer group (0 for a group without members).',
    ['consumergroup'] as const,
    (g, s) => {
      for (const group of s.groups) g.set({ consumergroup: group.group }, group.members);
    },
  );
  gauge(
    'kafka_consumergroup_status',
    'Burrow-style status of a consumer group: 1 for its current status.',
    ['consumergroup', 'status'] as const,
    (g, s) => {
      for (const group of s.groups)
        for (const status of CONSUMER_STATUSES)
          g.set({ consumergroup: group.group, status }, status === group.status ? 1 : 0);
    },
  );
  gauge(
    'lakewall_monitor_lag_collection_duration_seconds',
    'Duration of the last lag collection cycle.',
    [] as const,
    (g, s) => g.set(s.durationMs / 1000),
  );
  gauge(
    'lakewall_monitor_lag_collection_timestamp_seconds',
    'When the last lag collection finished (Unix time).',
    [] as const,
    (g, s) => g.set(s.collectedAtMs / 1000),
  );
}
