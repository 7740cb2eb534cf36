import { deriveClassification, deriveMnpiNames, loadPlatformModel, parsePlatformModel, zoneOf } from '../src';
import { editedModel } from './fixtures';

const model = loadPlatformModel();
const c = deriveClassification(model, 'local');

describe('deriveClassification', () => {
  it("makes public exactly the public tables' topics, the public sink's control topic, its connector and group", () => {
    expect([...c.publicTopics].sort()).toEqual([
      'cdc._iceberg_control.public',
      'cdc.cdc_heartbeat.public',
      'cdc.market_data.public',
      'cdc.reference_data.public',
    ]);
    expect([...c.publicGroups]).toEqual(['connect-lakewall-sink-public']);
    expect([...c.publicConnectors]).toEqual(['lakewall-sink-public']);
    expect([...c.publicTables].sort()).toEqual(['cdc_heartbeat', 'market_data', 'reference_data']);
  });

  it('classifies anything the model does not know as MNPI (fails closed)', () => {
    expect(zoneOf(c, 'topic', 'cdc.new_table.public')).toBe('mnpi');
    expect(zoneOf(c, 'topic', '__consumer_offsets')).toBe('mnpi');
    expect(zoneOf(c, 'group', model.kafka.connect.groupId)).toBe('mnpi');
    expect(zoneOf(c, 'connector', 'somebody-elses-connector')).toBe('mnpi');
    expect(zoneOf(c, 'table', 'unknown')).toBe('mnpi');
  });

  it('classifies registry subjects by their topic (TopicNameStrategy)', () => {
    expect(zoneOf(c, 'subject', 'cdc.market_data.public-value')).toBe('public');
    expect(zoneOf(c, 'subject', 'cdc.market_data.public-key')).toBe('public');
    expect(zoneOf(c, 'subject', 'cdc.trades.mnpi-value')).toBe('mnpi');
    expect(zoneOf(c, 'subject', 'cdc.market_data.public')).toBe('mnpi');
  });

  it('keeps a group private when its principal is cleared for MNPI, even if it reads public data', () => {
    expect(zoneOf(c, 'group', 'lakewall-monitor')).toBe('mnpi');
  });

  it('follows the model: a table reclassified to MNPI takes its topic, sink-less', () => {
    const m = parsePlatformModel(
      editedModel((doc) => doc.setIn(['tables', 'market_data', 'classification'], 'mnpi')),
    );
    const c2 = deriveClassification(m, 'local');
    expect(c2.publicTopics.has('cdc.market_data.mnpi')).toBe(false);
    expect(zoneOf(c2, 'table', 'market_data')).toBe('mnpi');
  });
});

describe('deriveMnpiNames', () => {
  it('lists every MNPI name by kind', () => {
    const n = deriveMnpiNames(model, 'local');
    // The MNPI sink's control topic carries MNPI column bounds: an MNPI name like the CDC topics.
    expect(n.topics).toEqual([
      'cdc._iceberg_control.mnpi',
      'cdc.orders.mnpi',
      'cdc.positions.mnpi',
      'cdc.trades.mnpi',
    ]);
    expect(n.tables).toEqual(['orders', 'positions', 'trades']);
    expect(n.columns).toEqual(['internal_credit_rating']);
    expect(n.principals).toContain('sink-mnpi');
    expect(n.principals).not.toContain('sink-public');
    expect(n.groups).toEqual(
      expect.arrayContaining(['connect-lakewall-sink-mnpi', 'lakewall-monitor', model.kafka.connect.groupId]),
    );
    expect(n.connectors).toEqual(expect.arrayContaining(['lakewall-sink-mnpi', 'lakewall-source-trading']));
    expect(n.connectors).not.toContain('lakewall-sink-public');
  });
});
