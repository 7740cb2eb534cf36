import { partitionStatus, StatusWindow, worstStatus, type LagObservation } from '../src';

const obs = (pairs: [number, number][]): LagObservation[] =>
  pairs.map(([committed, lag], i) => ({ committed, lag, timeMs: i * 5000 }));
const full = (f: (i: number) => [number, number]) => obs(Array.from({ length: 10 }, (_, i) => f(i)));

describe('Burrow-style status', () => {
  it('OK when the lag reached zero in the window', () => {
    expect(
      partitionStatus(
        full((i) => [i * 10, i === 4 ? 0 : 5]),
        1,
      ),
    ).toBe('OK');
  });

  it('OK while the window is not full yet', () => {
    expect(
      partitionStatus(
        obs([
          [10, 5],
          [10, 5],
        ]),
        0,
      ),
    ).toBe('OK');
  });

  it('REWIND when a committed offset goes backwards, even with zero lag', () => {
    expect(
      partitionStatus(
        obs([
          [100, 0],
          [50, 0],
        ]),
        1,
      ),
    ).toBe('REWIND');
  });

  it('STOP when offsets never move while lagging and nobody is in the group', () => {
    expect(
      partitionStatus(
        full(() => [100, 20]),
        0,
      ),
    ).toBe('STOP');
  });

  it('STALL when offsets never move while lagging and the group has members', () => {
    expect(
      partitionStatus(
        full(() => [100, 20]),
        2,
      ),
    ).toBe('STALL');
  });

  it('WARN when offsets move but the lag never decreases', () => {
    expect(
      partitionStatus(
        full((i) => [100 + i, 20 + i]),
        1,
      ),
    ).toBe('WARN');
    expect(
      partitionStatus(
        full((i) => [100 + i, 20]),
        1,
      ),
    ).toBe('WARN');
  });

  it('OK when offsets move and the lag decreases at least once', () => {
    expect(
      partitionStatus(
        full((i) => [100 + i * 10, i === 5 ? 15 : 20]),
        1,
      ),
    ).toBe('OK');
  });

  it('a group takes its worst partition’s status', () => {
    expect(worstStatus(['OK', 'WARN', 'STALL'])).toBe('STALL');
    expect(worstStatus(['REWIND', 'STOP'])).toBe('STOP');
    expect(worstStatus(['OK', 'ERR'])).toBe('ERR');
    expect(worstStatus([])).toBe('OK');
  });

  it('the window slides: an old zero-lag observation falls out', () => {
    const w = new StatusWindow(3);
    w.add({ committed: 10, lag: 0, timeMs: 0 });
    for (let i = 1; i <= 3; i++) w.add({ committed: 10, lag: 5, timeMs: i });
    expect(w.status(0)).toBe('STOP');
  });
});
