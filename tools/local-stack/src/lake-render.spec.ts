import { parseLakeTableRef, renderLakeTables } from './lake-render';

const tables = [
  { zone: 'mnpi', namespace: 'lakewall_raw_mnpi', name: 'trades' },
  { zone: 'public', namespace: 'lakewall_raw_public', name: 'market_data' },
];

describe('parseLakeTableRef', () => {
  it('maps <zone>.<table> to the zone raw namespace', () => {
    expect(parseLakeTableRef('mnpi.trades', tables)).toBe('lakewall_raw_mnpi.trades');
  });
  it('refuses a table outside its zone or an unknown one, listing the valid ones', () => {
    expect(() => parseLakeTableRef('public.trades', tables)).toThrow(
      /one of mnpi.trades, public.market_data/,
    );
    expect(() => parseLakeTableRef('trades', tables)).toThrow(/expected <zone>.<table>/);
  });
});

describe('renderLakeTables', () => {
  it('prints one aligned line per table with snapshots, rows and the last commit', () => {
    const text = renderLakeTables([
      { namespace: 'n', table: 't', location: 's3://b/n/t', snapshots: 2, rows: 5, lastCommitMs: 0 },
      { namespace: 'n', table: 'u', location: 's3://b/n/u', snapshots: 0, rows: 0, lastCommitMs: null },
    ]);
    expect(text.split('\n')[1]).toBe('n.t    2          5     1970-01-01T00:00:00.000Z');
    expect(text).toContain('n.u    0          0     -');
  });
});
