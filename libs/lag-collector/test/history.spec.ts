import { PartitionHistory } from '../src';

const s = 1000;

describe('time lag by interpolation', () => {
  it('is zero when the committed offset is at or past the newest head (never negative)', () => {
    const h = new PartitionHistory();
    h.add(100, 0);
    h.add(200, 10 * s);
    expect(h.lagSeconds(200, 12 * s)).toBe(0);
    expect(h.lagSeconds(250, 12 * s)).toBe(0);
  });

  it('interpolates linearly between the two points around the committed offset', () => {
    const h = new PartitionHistory();
    h.add(100, 0);
    h.add(200, 10 * s);
    h.add(300, 20 * s);
    // Offset 250 was the head half-way between 10 s and 20 s: 15 s; at 30 s the lag is 15 s.
    expect(h.lagSeconds(250, 30 * s)).toBeCloseTo(15);
    expect(h.lagSeconds(100, 30 * s)).toBeCloseTo(30);
  });

  it('after an idle period, a burst interpolates from the end of the pause, not its start', () => {
    const h = new PartitionHistory();
    h.add(100, 0);
    for (let t = 5; t <= 600; t += 5) h.add(100, t * s); // ten minutes without a write
    h.add(200, 605 * s); // then 100 records within 5 s
    // Offset 150 was written ~602.5 s; a naive history (first sighting of 100 at 0 s) says 302.5 s.
    expect(h.lagSeconds(150, 610 * s)).toBeCloseTo(7.5);
    // The points kept for the pause are two (when it began and when it last held), not 120.
    expect(h.size).toBe(3);
  });

  it('follows a burst piecewise, sample by sample', () => {
    const h = new PartitionHistory();
    h.add(0, 0);
    h.add(10, 1 * s);
    h.add(10_010, 2 * s); // the burst
    h.add(10_020, 3 * s);
    expect(h.lagSeconds(5, 3 * s)).toBeCloseTo(2.5);
    expect(h.lagSeconds(5_010, 3 * s)).toBeCloseTo(1.5);
  });

  it('a replay from before the kept history reports at least the oldest point’s age', () => {
    const h = new PartitionHistory(3);
    h.add(1000, 10 * s);
    h.add(2000, 20 * s);
    h.add(3000, 30 * s);
    h.add(4000, 40 * s); // evicts (1000, 10 s)
    expect(h.size).toBe(3);
    expect(h.lagSeconds(0, 50 * s)).toBeCloseTo(30); // oldest kept point is (2000, 20 s)
  });

  it('starts over when the log-end offset goes backwards (topic recreated)', () => {
    const h = new PartitionHistory();
    h.add(500, 0);
    h.add(600, 10 * s);
    h.add(5, 20 * s);
    expect(h.size).toBe(1);
    expect(h.latest()).toEqual({ offset: 5, timeMs: 20 * s });
  });

  it('ignores a sample older than the newest one', () => {
    const h = new PartitionHistory();
    h.add(10, 10 * s);
    h.add(20, 5 * s);
    expect(h.latest()).toEqual({ offset: 10, timeMs: 10 * s });
  });

  it('knows nothing without points', () => {
    expect(new PartitionHistory().lagSeconds(0, 0)).toBeUndefined();
  });
});
