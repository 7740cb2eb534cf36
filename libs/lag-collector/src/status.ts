/**
 * Burrow-style consumer status, evaluated over a sliding window of observations per partition.
 *
 * Kafka's offset fetch carries no commit timestamps, so "a commit" here is an observed change of the
 * committed offset, and a group's membership tells a stopped consumer from a stalled one:
 *   REWIND  a committed offset went backwards within the window;
 *   OK      the lag reached zero at some point in the window (or the window is not full yet);
 *   STOP    offsets never moved over the whole window while lagging, and the group has no members;
 *   STALL   offsets never moved over the whole window while lagging, with members (stuck consumer);
 *   WARN    offsets move but the lag never decreased across the window (falling behind);
 *   ERR     the group could not be read (set by the collector, not by this function).
 * A group's status is its worst partition's.
 */
export const CONSUMER_STATUSES = ['OK', 'WARN', 'STALL', 'STOP', 'REWIND', 'ERR'] as const;
export type ConsumerStatus = (typeof CONSUMER_STATUSES)[number];

/** Worst first: the order a group's status is chosen in. */
const SEVERITY: Record<ConsumerStatus, number> = { ERR: 5, STOP: 4, STALL: 3, REWIND: 2, WARN: 1, OK: 0 };

export interface LagObservation {
  readonly committed: number;
  readonly lag: number;
  readonly timeMs: number;
}

export const DEFAULT_STATUS_WINDOW = 10;

export function partitionStatus(
  window: readonly LagObservation[],
  members: number,
  windowSize = DEFAULT_STATUS_WINDOW,
): ConsumerStatus {
  for (let i = 1; i < window.length; i++)
    if (window[i]!.committed < window[i - 1]!.committed) return 'REWIND';
  if (window.some((o) => o.lag === 0)) return 'OK';
  if (window.length < windowSize) return 'OK';
  const first = window[0]!;
  const last = window[window.length - 1]!;
  if (first.committed === last.committed) return members === 0 ? 'STOP' : 'STALL';
  let decreased = false;
  for (let i = 1; i < window.length; i++) if (window[i]!.lag < window[i - 1]!.lag) decreased = true;
  return decreased ? 'OK' : 'WARN';
}

export function worstStatus(statuses: Iterable<ConsumerStatus>): ConsumerStatus {
  let worst: ConsumerStatus = 'OK';
  for (const s of statuses) if (SEVERITY[s] > SEVERITY[worst]) worst = s;
  return worst;
}

/** A bounded window of observations for one group partition. */
export class StatusWindow {
  private readonly obs: LagObservation[] = [];
  constructor(readonly size = DEFAULT_STATUS_WINDOW) {}
  add(o: LagObservation): void {
    this.obs.push(o);
    if (this.obs.length > this.size) this.obs.shift();
  }
  status(members: number): ConsumerStatus {
    return partitionStatus(this.obs, members, this.size);
  }
}
