import {
  findingId,
  findingRecorded,
  FindingsState,
  parseFindingsEvent,
  type Finding,
  type FindingsEvent,
} from '../src';

const leak: Finding = {
  kind: 'restricted_column',
  topic: 'cdc.instruments.public',
  table: 'instruments',
  partition: 0,
  offset: '41',
  fields: ['internal_rating'],
  reason: 'restricted column on a public topic',
};
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

describe('the findings log', () => {
  it('adds repeated records of one leak to one finding, whatever their offsets', () => {
    const s = new FindingsState();
    s.apply(findingRecorded(leak, 'public', at(1)));
    s.apply(findingRecorded({ ...leak, offset: '42' }, 'public', at(2)));
    expect(s.findings()).toEqual([
      expect.objectContaining({
        id: findingId(leak),
        state: 'open',
        count: 2,
        firstSeen: at(1).toISOString(),
        lastSeen: at(2).toISOString(),
      }),
    ]);
    expect(findingId({ ...leak, fields: ['other'] })).not.toBe(findingId(leak));
  });

  it('acknowledges a finding, and opens it again when the leak is seen after that', () => {
    const s = new FindingsState();
    const id = findingId(leak);
    s.apply(findingRecorded(leak, 'public', at(1)));
    s.apply({ type: 'acknowledged', id, by: 'alice', reason: 'fixed the mask', at: at(2).toISOString() });
    expect(s.finding(id)).toMatchObject({ state: 'acknowledged', acknowledged: { by: 'alice' } });
    s.apply(findingRecorded(leak, 'public', at(3)));
    expect(s.finding(id)).toMatchObject({ state: 'open', count: 2 });
  });

  it('ignores an acknowledgment of a finding it never recorded', () => {
    const s = new FindingsState();
    s.apply({ type: 'acknowledged', id: 'nope', by: 'a', reason: 'r', at: at(1).toISOString() });
    expect(s.findings()).toEqual([]);
  });

  it('remembers which connectors the monitor paused', () => {
    const s = new FindingsState();
    s.apply({
      type: 'contained',
      connector: 'lakewall-sink-public',
      findingId: 'x',
      at: at(1).toISOString(),
    });
    expect(s.everContained('lakewall-sink-public')).toBe(true);
    expect(s.everContained('lakewall-sink-mnpi')).toBe(false);
  });

  it('skips records that are not findings events instead of failing', () => {
    const e: FindingsEvent = findingRecorded(leak, 'public', at(1));
    expect(parseFindingsEvent(JSON.stringify(e))).toEqual(e);
    expect(parseFindingsEvent('not json')).toBeUndefined();
    expect(parseFindingsEvent(JSON.stringify({ type: 'finding', id: 'x' }))).toBeUndefined();
    expect(parseFindingsEvent(null)).toBeUndefined();
  });
});
