import {
  deriveAcls,
  deriveMonitorDeployment,
  deriveRecordCheckRules,
  loadPlatformModel,
  parsePlatformModel,
} from '../src';
import { deriveTopics } from '../src/derive/topics';
import { editedModel } from './fixtures';

const model = loadPlatformModel();

describe('record check rules', () => {
  const rules = deriveRecordCheckRules(model, 'local');

  it('knows the source database and schema Debezium names in source.db and source.schema', () => {
    expect(rules.database).toBe('trading');
    expect(rules.schema).toBe('public');
  });

  it('maps every declared topic to its zone and table', () => {
    expect(rules.topics['cdc.trades.mnpi']).toEqual({ zone: 'mnpi', table: 'trades' });
    expect(rules.topics['cdc.market_data.public']).toEqual({ zone: 'public', table: 'market_data' });
    // Every declared topic, so none is ever reported as undeclared: CDC, the sinks' control topics, the audit topic.
    expect(Object.keys(rules.topics).sort()).toEqual(
      [...deriveTopics(model, 'local').map((t) => t.name), model.kafka.auditTopic.name].sort(),
    );
  });

  it('separates a public table’s restricted columns from its published ones', () => {
    const ref = rules.tables['reference_data']!;
    expect(ref.zone).toBe('public');
    expect(ref.restrictedColumns).toEqual(['internal_credit_rating']);
    expect(ref.publishedColumns).not.toContain('internal_credit_rating');
    expect(ref.publishedColumns).toContain('isin');
    expect(rules.tables['trades']!.zone).toBe('mnpi');
  });
});

describe('monitor deployment', () => {
  const dep = deriveMonitorDeployment(model, 'local');

  it('checks exactly the public topics, as the monitor principal with its own group', () => {
    expect(dep.principal).toBe('monitor');
    expect(dep.group).toBe('lakewall-monitor');
    expect(dep.checkedTopics).toEqual([
      'cdc.cdc_heartbeat.public',
      'cdc.market_data.public',
      'cdc.reference_data.public',
    ]);
  });

  it('contains by pausing the public sink, named as the sink derivation names it', () => {
    expect(dep.publicSinkConnector).toBe('lakewall-sink-public');
    expect(dep.containment).toBe(true);
  });

  it('exports lag for every model group, with per-group SLO overrides', () => {
    expect(dep.groups.map((g) => [g.group, g.lagSloSeconds])).toEqual([
      ['connect-lakewall-sink-mnpi', 300],
      ['connect-lakewall-sink-public', 300],
      ['lakewall-monitor', 30],
    ]);
  });

  it('lets an environment turn containment off', () => {
    const m = parsePlatformModel(
      editedModel((doc) => doc.setIn(['environments', 'dev', 'monitor'], { containment: false })),
    );
    expect(deriveMonitorDeployment(m, 'dev').containment).toBe(false);
    expect(deriveMonitorDeployment(m, 'prod').containment).toBe(true);
  });
});

describe('monitor grants and validation', () => {
  it('gives the monitor one PREFIXED DESCRIBE on the managed prefix and no prefixed READ', () => {
    const prefixed = deriveAcls(model, 'local').filter(
      (a) => a.principal === 'User:monitor' && a.patternType === 'PREFIXED',
    );
    expect(prefixed.map((a) => [a.resourceType, a.resourceName, a.operation])).toEqual([
      ['TOPIC', 'cdc.', 'DESCRIBE'],
    ]);
  });

  it('refuses describeManagedPrefix for a principal cleared only for public data', () => {
    const text = editedModel((doc) =>
      doc.setIn(['principals', 'sink-public', 'kafka', 'describeManagedPrefix'], true),
    );
    expect(() => parsePlatformModel(text)).toThrow(/principals\.sink-public\.kafka\.describeManagedPrefix/);
  });

  it('refuses a lag SLO for a group no principal uses, and an undeclared monitor principal', () => {
    const text = editedModel((doc) => {
      doc.setIn(['monitor', 'lagSloSeconds', 'groups', 'nobody'], 10);
      doc.setIn(['monitor', 'principal'], 'ghost');
    });
    expect(() => parsePlatformModel(text)).toThrow(/monitor\.lagSloSeconds\.groups\.nobody/);
    expect(() => parsePlatformModel(text)).toThrow(/principal "ghost" is not declared/);
  });
});
