/**
 * The lag families in the Prometheus text format, rendered once per collected snapshot and reused
 * by every scrape until the next one: a scrape over thousands of partitions is a string copy, not
 * thousands of gauge updates.
 */
import { CONSUMER_STATUSES, type LagSnapshot } from '@lakewall/lag-collector';

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function family(name: string, help: string, lines: string[]): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${lines.join('')}`;
}

export function renderLag(s: LagSnapshot): string {
  const offsets: string[] = [];
  const lag: string[] = [];
  const seconds: string[] = [];
  const members: string[] = [];
  const status: string[] = [];
  for (const g of s.groups) {
    const group = escape(g.group);
    members.push(`kafka_consumergroup_members{consumergroup="${group}"} ${g.members}\n`);
    for (const st of CONSUMER_STATUSES)
      status.push(
        `kafka_consumergroup_status{consumergroup="${group}",status="${st}"} ${st === g.status ? 1 : 0}\n`,
      );
    for (const p of g.partitions) {
      const labels = `{consumergroup="${group}",topic="${escape(p.topic)}",partition="${p.partition}"}`;
      offsets.push(`kafka_consumergroup_current_offset${labels} ${p.committed}\n`);
      lag.push(`kafka_consumergroup_lag${labels} ${p.lag}\n`);
      seconds.push(`kafka_consumergroup_lag_seconds${labels} ${p.lagSeconds}\n`);
    }
  }
  const current: string[] = [];
  const oldest: string[] = [];
  for (const p of s.topicPartitions) {
    const labels = `{topic="${escape(p.topic)}",partition="${p.partition}"}`;
    current.push(`kafka_topic_partition_current_offset${labels} ${p.current}\n`);
    oldest.push(`kafka_topic_partition_oldest_offset${labels} ${p.oldest}\n`);
  }
  return [
    family(
      'kafka_consumergroup_current_offset',
      'Committed offset of a consumer group per partition.',
      offsets,
    ),
    family('kafka_consumergroup_lag', 'Consumer group lag in offsets per partition (never negative).', lag),
    family(
      'kafka_consumergroup_lag_seconds',
      'Consumer group lag in seconds per partition, interpolated from sampled log-end offsets.',
      seconds,
    ),
    family('kafka_topic_partition_current_offset', 'Log-end offset per partition.', current),
    family('kafka_topic_partition_oldest_offset', 'Log-start offset per partition.', oldest),
    family(
      'kafka_consumergroup_members',
      'Members of a consumer group (0 for a group without members).',
      members,
    ),
    family(
      'kafka_consumergroup_status',
      'Burrow-style status of a consumer group: 1 for its current status.',
      status,
    ),
    family('lakewall_monitor_lag_collection_duration_seconds', 'Duration of the last lag collection cycle.', [
      `lakewall_monitor_lag_collection_duration_seconds ${s.durationMs / 1000}\n`,
    ]),
    family(
      'lakewall_monitor_lag_collection_timestamp_seconds',
      'When the last lag collection finished (Unix time).',
      [`lakewall_monitor_lag_collection_timestamp_seconds ${s.collectedAtMs / 1000}\n`],
    ),
  ].join('\n');
}

/** Caches the rendering of the latest snapshot. */
export class LagExposition {
  private rendered: { snapshot: LagSnapshot; text: string } | undefined;
  constructor(private readonly lag: () => LagSnapshot | undefined) {}
  text(): string {
    const s = this.lag();
    if (!s) return '';
    if (this.rendered?.snapshot !== s) this.rendered = { snapshot: s, text: renderLag(s) };
    return this.rendered.text;
  }
}
