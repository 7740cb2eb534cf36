import type { LagSnapshot } from '@lakewall/lag-collector';
import { createMetrics } from '../src/metrics';

const snapshot: LagSnapshot = {
  collectedAtMs: 1_700_000_000_000,
  durationMs: 42,
  groups: [
    {
      group: 'connect-lakewall-sink-public',
      members: 0,
      state: 'Empty',
      status: 'STOP',
      partitions: [
        {
          topic: 'cdc.market_data.public',
          partition: 0,
          committed: 90,
          logEnd: 100,
          lag: 10,
          lagSeconds: 12.5,
        },
      ],
    },
  ],
  topicPartitions: [{ topic: 'cdc.market_data.public', partition: 0, oldest: 3, current: 100 }],
};

function metricsWith(s: LagSnapshot | undefined) {
  return createMetrics({
    lag: () => s,
    checkedTopics: ['cdc.market_data.public'],
    groups: [{ group: 'connect-lakewall-sink-public', principal: 'sink-public', lagSloSeconds: 300 }],
    connector: 'lakewall-sink-public',
  });
}

describe('exported metrics', () => {
  it('serves lag from the in-memory snapshot under the kafka_consumergroup_* names', async () => {
    const text = await metricsWith(snapshot).exposition();
    const labels =
      'consumergroup="connect-lakewall-sink-public",topic="cdc.market_data.public",partition="0"';
    expect(text).toContain(`kafka_consumergroup_current_offset{${labels}} 90`);
    expect(text).toContain(`kafka_consumergroup_lag{${labels}} 10`);
    expect(text).toContain(`kafka_consumergroup_lag_seconds{${labels}} 12.5`);
    expect(text).toContain(
      'kafka_topic_partition_current_offset{topic="cdc.market_data.public",partition="0"} 100',
    );
    expect(text).toContain(
      'kafka_topic_partition_oldest_offset{topic="cdc.market_data.public",partition="0"} 3',
    );
    // A group without members is still reported.
    expect(text).toContain('kafka_consumergroup_members{consumergroup="connect-lakewall-sink-public"} 0');
    expect(text).toContain(
      'kafka_consumergroup_status{consumergroup="connect-lakewall-sink-public",status="STOP"} 1',
    );
    expect(text).toContain(
      'kafka_consumergroup_status{consumergroup="connect-lakewall-sink-public",status="OK"} 0',
    );
    expect(text).toContain(
      'lakewall_monitor_lag_slo_seconds{consumergroup="connect-lakewall-sink-public"} 300',
    );
    expect(text).toContain('# TYPE kafka_consumergroup_lag gauge');
  });

  it('renders the lag families once per snapshot, escaping label values', async () => {
    let current: LagSnapshot = snapshot;
    const m = createMetrics({ lag: () => current, checkedTopics: [], groups: [] });
    const first = await m.exposition();
    current = { ...snapshot, groups: [{ ...snapshot.groups[0]!, group: 'odd"group\\x', partitions: [] }] };
    const second = await m.exposition();
    expect(first).not.toEqual(second);
    expect(second).toContain('kafka_consumergroup_members{consumergroup="odd\\"group\\\\x"} 0');
    expect(second).not.toContain('kafka_consumergroup_lag{');
  });

  it('before the first collection exports no lag series, but the checker counters start at zero', async () => {
    const text = await metricsWith(undefined).exposition();
    expect(text).not.toMatch(/^kafka_consumergroup_lag\{/m);
    expect(text).toContain('lakewall_monitor_records_checked_total{topic="cdc.market_data.public"} 0');
    expect(text).toContain(
      'lakewall_monitor_containment_actions_total{connector="lakewall-sink-public",action="stop",result="success"} 0',
    );
  });

  it('counts a finding under topic, table and kind only', async () => {
    const m = metricsWith(snapshot);
    m.countFinding({
      kind: 'restricted_column',
      topic: 'cdc.reference_data.public',
      table: 'reference_data',
      partition: 1,
      offset: '7',
      fields: ['internal_credit_rating'],
      reason: 'r',
    });
    const text = await m.exposition();
    expect(text).toContain(
      'lakewall_monitor_findings_total{topic="cdc.reference_data.public",table="reference_data",kind="restricted_column"} 1',
    );
    expect(text).not.toMatch(/internal_credit_rating|offset="7"/);
  });
});
