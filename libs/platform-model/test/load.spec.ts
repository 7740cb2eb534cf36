import { PlatformModelError, loadPlatformModel, parsePlatformModel } from '../src';
import { editedModel, modelText } from './fixtures';

function issuesOf(text: string): string[] {
  try {
    parsePlatformModel(text, 'platform.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(PlatformModelError);
    return (e as PlatformModelError).message
      .split('\n')
      .slice(1)
      .map((l) => l.trim());
  }
  throw new Error('expected the model to be rejected');
}

describe('loading the platform model', () => {
  it('loads the repository model', () => {
    const model = loadPlatformModel();
    expect(Object.keys(model.tables).sort()).toEqual([
      'cdc_heartbeat',
      'market_data',
      'orders',
      'positions',
      'reference_data',
      'trades',
    ]);
    expect(model.tables.trades!.classification).toBe('mnpi');
    expect(model.tables.market_data!.classification).toBe('public');
    expect(model.environments.prod.lake.retentionDays).toBe(2555);
  });

  it('reports a YAML syntax error with file, line and column', () => {
    const [issue] = issuesOf('version: 1\nproject: [unclosed\n');
    expect(issue).toMatch(/^platform\.yaml:\d+:\d+ \(document\): YAML syntax/);
  });

  it('rejects duplicate keys instead of silently keeping the last one', () => {
    const text = modelText().replace('project: lakewall', 'project: lakewall\nproject: other');
    expect(issuesOf(text).join('\n')).toMatch(/platform\.yaml:\d+:\d+ .*[Mm]ap keys must be unique/);
  });

  it('reports several schema errors at once, each with its path and line', () => {
    const text = editedModel((doc) => {
      doc.setIn(['tables', 'trades', 'classification'], 'secret');
      doc.setIn(['environments', 'dev', 'account'], '12');
      doc.setIn(['principals', 'monitor', 'kafka', 'describe'], ['mnpi', 'nowhere']);
    });
    const issues = issuesOf(text);
    expect(issues).toHaveLength(3);
    expect(issues.find((i) => i.includes('tables.trades.classification'))).toMatch(
      /^platform\.yaml:\d+:\d+ /,
    );
    expect(
      issues.some((i) => i.includes('environments.dev.account: must be a 12-digit AWS account id')),
    ).toBe(true);
    expect(issues.some((i) => i.includes('principals.monitor.kafka.describe[1]'))).toBe(true);
  });

  it('points a missing key at its parent', () => {
    const text = editedModel((doc) => doc.deleteIn(['tables', 'orders', 'primaryKey']));
    const [issue] = issuesOf(text);
    expect(issue).toMatch(/^platform\.yaml:\d+:\d+ tables\.orders\.primaryKey: /);
    const line = Number(issue!.split(':')[1]);
    expect(text.split('\n')[line - 1]).toMatch(/^\s+orders:/);
  });

  it('rejects unknown keys so a typo is never ignored', () => {
    const text = editedModel((doc) => doc.setIn(['tables', 'trades', 'clasification'], 'public'));
    expect(issuesOf(text).join('\n')).toMatch(
      /tables\.trades\.clasification: unknown key "clasification" \(did you mean "classification"\?\)/,
    );
  });
});

describe('semantic rules', () => {
  it('refuses to grant a public-cleared principal anything on the MNPI zone', () => {
    const text = editedModel((doc) => {
      doc.setIn(['principals', 'sink-public', 'kafka', 'consume', 'zones'], ['public', 'mnpi']);
      doc.setIn(['principals', 'data-analysts', 'lake', 'query', 'zones'], ['public', 'mnpi']);
    });
    const issues = issuesOf(text).join('\n');
    expect(issues).toMatch(
      /principals\.sink-public\.kafka\.consume\.zones: a principal cleared only for public data cannot be granted access to the mnpi zone/,
    );
    expect(issues).toMatch(
      /principals\.data-analysts\.lake\.query\.zones: a principal cleared only for public/,
    );
    expect(issues).toMatch(
      /principals\.data-analysts\.lake\.query\.mfa: querying the MNPI zone requires mfa: true/,
    );
  });

  it('requires primary keys to be non-null columns', () => {
    const text = editedModel((doc) => doc.setIn(['tables', 'trades', 'primaryKey'], ['trade_uuid']));
    expect(issuesOf(text).join('\n')).toMatch(
      /tables\.trades\.primaryKey\[0\]: primary key column "trade_uuid" is not a column/,
    );
  });

  it('forbids a column less restricted than its table', () => {
    const text = editedModel((doc) =>
      doc.setIn(['tables', 'trades', 'columns', 2, 'classification'], 'public'),
    );
    expect(issuesOf(text).join('\n')).toMatch(
      /tables\.trades\.columns\[2\]\.classification: a column cannot be less restricted/,
    );
  });

  it('keeps sinks to exactly their own zone', () => {
    const text = editedModel((doc) =>
      doc.setIn(['principals', 'sink-mnpi', 'kafka', 'consume', 'zones'], ['mnpi', 'public']),
    );
    expect(issuesOf(text).join('\n')).toMatch(
      /principals\.sink-mnpi\.kafka\.consume\.zones: a sink must consume exactly the zones it writes/,
    );
  });

  it('checks environment sizing against broker and AZ counts', () => {
    const text = editedModel((doc) => {
      doc.setIn(['environments', 'staging', 'kafka', 'replicationFactor'], 4);
      doc.setIn(['environments', 'prod', 'kafka', 'brokers'], 4);
      doc.deleteIn(['environments', 'dev', 'database']);
    });
    const issues = issuesOf(text).join('\n');
    expect(issues).toMatch(
      /environments\.staging\.kafka\.replicationFactor: is larger than the broker count \(3\)/,
    );
    expect(issues).toMatch(
      /environments\.prod\.kafka\.brokers: MSK needs a multiple of the 3 availability zones/,
    );
    expect(issues).toMatch(/environments\.dev\.database: is required for the cloud environment "dev"/);
  });

  it('has exactly one CDC source writing the topics', () => {
    const text = editedModel((doc) => doc.setIn(['principals', 'monitor', 'kafka', 'produce'], ['public']));
    expect(issuesOf(text).join('\n')).toMatch(
      /principals: exactly one principal \(the CDC source\) must have kafka\.produce \(found 2: debezium, monitor\)/,
    );
  });

  it('keeps the Kafka version to a line Amazon MSK offers', () => {
    const text = editedModel((doc) => doc.setIn(['kafka', 'version'], '3.6.2'));
    expect(issuesOf(text).join('\n')).toMatch(/kafka\.version: Kafka 3\.6 is not a line Amazon MSK offers/);
  });

  it('keeps the Debezium heartbeat topic outside the managed prefix', () => {
    const text = editedModel((doc) => doc.setIn(['source', 'heartbeat', 'topicPrefix'], 'cdc.heartbeat'));
    expect(issuesOf(text).join('\n')).toMatch(
      /source\.heartbeat\.topicPrefix: the heartbeat topic must lie outside the managed prefix "cdc\."/,
    );
  });

  it('bounds the heartbeat interval', () => {
    const text = editedModel((doc) => doc.setIn(['source', 'heartbeat', 'intervalMs'], 500));
    expect(issuesOf(text).join('\n')).toMatch(/source\.heartbeat\.intervalMs: /);
  });

  it('rejects a consumer group shared by two principals', () => {
    const text = editedModel((doc) =>
      doc.setIn(['principals', 'monitor', 'kafka', 'consume', 'group'], 'connect-lakewall-sink-public'),
    );
    expect(issuesOf(text).join('\n')).toMatch(
      /consumer group "connect-lakewall-sink-public" is already used by principal "sink-public"/,
    );
  });

  it("keeps the schema registry out of the captured database and off Debezium's role", () => {
    const text = editedModel((doc) => {
      doc.setIn(['schemaRegistry', 'database'], 'trading');
      doc.setIn(['schemaRegistry', 'role'], 'debezium');
    });
    const issues = issuesOf(text);
    expect(issues.some((i) => i.includes('schemaRegistry.database: '))).toBe(true);
    expect(issues.some((i) => i.includes('schemaRegistry.role: '))).toBe(true);
  });

  it('refuses cluster analysis to a principal not cleared for MNPI', () => {
    const text = editedModel((doc) =>
      doc.setIn(['principals', 'sink-public', 'kafka', 'analyzeCluster'], true),
    );
    expect(issuesOf(text).some((i) => i.includes('principals.sink-public.kafka.analyzeCluster'))).toBe(true);
  });
});
