import { parseExposition, renderMonitorSummary } from './monitor-summary';

const text = `# HELP lakewall_monitor_records_checked_total x
# TYPE lakewall_monitor_records_checked_total counter
lakewall_monitor_records_checked_total{topic="cdc.market_data.public"} 12
lakewall_monitor_records_checked_total{topic="cdc.reference_data.public"} 0
lakewall_monitor_findings_total{topic="cdc.market_data.public",table="trades",kind="route_violation"} 2
kafka_consumergroup_members{consumergroup="lakewall-monitor"} 1
kafka_consumergroup_members{consumergroup="connect-lakewall-sink-public"} 0
kafka_consumergroup_lag{consumergroup="lakewall-monitor",topic="t",partition="0"} 3
kafka_consumergroup_lag{consumergroup="lakewall-monitor",topic="t",partition="1"} 4
kafka_consumergroup_lag_seconds{consumergroup="lakewall-monitor",topic="t",partition="0"} 1.25
kafka_consumergroup_status{consumergroup="lakewall-monitor",status="OK"} 1
kafka_consumergroup_status{consumergroup="lakewall-monitor",status="WARN"} 0
`;
const urls = { monitor: 'http://m', prometheus: 'http://p', alertmanager: 'http://a' };

describe('monitor summary for npm start', () => {
  it('parses the exposition format, labels with escapes included', () => {
    const s = parseExposition('a_total{x="q\\"uote",y="2"} 3.5\n# comment\nb 1');
    expect(s).toEqual([
      { name: 'a_total', labels: { x: 'q\\"uote', y: '2' }, value: 3.5 },
      { name: 'b', labels: {}, value: 1 },
    ]);
  });

  it('shows records per topic, findings, lag per group in offsets and seconds, and the URLs', () => {
    const out = renderMonitorSummary(parseExposition(text), urls).join('\n');
    expect(out).toContain('records checked  cdc.market_data.public: 12');
    expect(out).toContain('findings         2');
    expect(out).toContain('route_violation on cdc.market_data.public (table trades): 2');
    expect(out).toContain('lakewall-monitor: 7 offsets, 1.3 s, OK, 1 member(s)');
    expect(out).toContain('connect-lakewall-sink-public: 0 offsets, 0.0 s, ?, 0 member(s)');
    expect(out).toContain('Prometheus       http://p');
    expect(out).toContain('Alertmanager     http://a');
  });

  it('says zero findings plainly on clean traffic', () => {
    const out = renderMonitorSummary(
      parseExposition('lakewall_monitor_findings_total{kind="x"} 0'),
      urls,
    ).join('\n');
    expect(out).toMatch(/findings\s+0 \(no leak/);
  });
});
