/**
 * Time lag by interpolation (kafka-lag-exporter's method): per partition, keep sampled points of
 * (log-end offset, wall time); the time lag of a committed offset is now minus the interpolated
 * time at which that offset was the head of the log.
 *
 * The traps its users report, and how they are avoided here:
 * - idle periods: while the log-end offset stands still, the newest point's time moves forward
 *   (the last time the head was still there), so a burst after a long pause interpolates between
 *   the end of the pause and the burst, not across the whole pause;
 * - bursts: a point is kept for every change of the log-end offset seen, so the interpolation is
 *   piecewise over the burst rather than one straight line;
 * - replays: a committed offset older than every kept point reports at least the age of the oldest
 *   point (a lower bound), never an extrapolation into the future or a negative value.
 */
export interface OffsetPoint {
  readonly offset: number;
  readonly timeMs: number;
}

export const DEFAULT_HISTORY_POINTS = 120;

export class PartitionHistory {
  private readonly points: OffsetPoint[] = [];

  constructor(private readonly maxPoints = DEFAULT_HISTORY_POINTS) {
    if (maxPoints < 2) throw new Error('a partition history needs at least 2 points');
  }

  /** Records the log-end offset sampled at `timeMs` (samples arrive in time order). */
  add(offset: number, timeMs: number): void {
    const last = this.points[this.points.length - 1];
    const prev = this.points[this.points.length - 2];
    if (last && timeMs < last.timeMs) return;
    if (last && offset < last.offset) {
      // The log was truncated or recreated: older points no longer describe it.
      this.points.length = 0;
    } else if (last && prev && last.offset === offset && prev.offset === offset) {
      // Still idle at the same head: keep when it got there (prev) and the latest time it was there (last).
      this.points[this.points.length - 1] = { offset, timeMs };
      return;
    }
    this.points.push({ offset, timeMs });
    if (this.points.length > this.maxPoints) this.points.shift();
  }

  get size(): number {
    return this.points.length;
  }

  latest(): OffsetPoint | undefined {
    return this.points[this.points.length - 1];
  }

  /**
   * The wall time at which `offset` was the head of the log, or undefined with no points. An offset
   * at or past the newest point is "now" (nothing to wait for).
   */
  timeAt(offset: number, nowMs: number): number | undefined {
    const pts = this.points;
    if (pts.length === 0) return undefined;
    const newest = pts[pts.length - 1]!;
    if (offset >= newest.offset) return nowMs;
    if (offset <= pts[0]!.offset) return pts[0]!.timeMs;
    // The last point at or below `offset`, then the first point above it.
    let lo = 0;
    let hi = pts.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (pts[mid]!.offset <= offset) lo = mid;
      else hi = mid;
    }
    // Among equal offsets the latest time is the last moment the head was still there.
    const a = pts[lo]!;
    const b = pts[hi]!;
    const fraction = (offset - a.offset) / (b.offset - a.offset);
    return a.timeMs + fraction * (b.timeMs - a.timeMs);
  }

  /** Seconds of lag for a committed offset; 0 when caught up; never negative. */
  lagSeconds(committed: number, nowMs: number): number | undefined {
    const at = this.timeAt(committed, nowMs);
    if (at === undefined) return undefined;
    return Math.max(0, (nowMs - at) / 1000);
  }
}
