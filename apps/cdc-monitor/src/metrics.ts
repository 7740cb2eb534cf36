/**
 * Every metric the monitor exports. Lag gauges are filled from the collector's in-memory snapshot
 * at scrape time: a scrape never waits on Kafka. Labels hold names only (topics, tables, groups,
 * kinds), never a record's key or value.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { LagSnapshot } from '@lakewall/lag-collector';
import { FINDING_KINDS, type Finding } from '@lakewall/record-checker';
import type { MonitoredGroup } from '@lakewall/platform-model';
import { CONNECTOR_STATES, type ConnectorView } from './connector-watch';
import { LagExposition } from './lag-exposition';
import { CONTAINMENT_ACTION } from './containment';

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
  /** Everything a scrape returns: the registry's metrics and the lag families from memory. */
  exposition(): Promise<string>;
  readonly contentType: string;
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
      containmentActions.inc({ connector: o.connector, action: CONTAINMENT_ACTION, result }, 0);

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
  const lagText = new LagExposition(o.lag);
  return {
    registry,
    contentType: registry.contentType,
    exposition: async () => `${await registry.metrics()}\n${lagText.text()}`,
    findings,
    recordsChecked,
    detectionSeconds,
    cdcLatencySeconds,
    containmentActions,
    countFinding: (f) => findings.inc({ topic: f.topic, table: f.table, kind: f.kind }),
  };
}

export { FINDING_KINDS };
