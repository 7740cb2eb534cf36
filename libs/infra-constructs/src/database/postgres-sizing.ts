/**
 * Sizing rules for the source PostgreSQL instance that depend only on numbers from the platform
 * model, kept apart so they can be tested without synthesizing anything.
 */

/** Share of allocated storage that retained WAL for a stalled replication slot may take. */
export const DEFAULT_SLOT_WAL_SHARE = 0.1;

/**
 * max_slot_wal_keep_size in MB: a stalled Debezium slot may hold back at most this much WAL before
 * PostgreSQL invalidates the slot, instead of filling the disk and stopping the trading database.
 */
export function maxSlotWalKeepSizeMb(allocatedStorageGiB: number, share = DEFAULT_SLOT_WAL_SHARE): number {
  if (!(share > 0 && share <= 0.5)) {
    throw new Error(
      `maxSlotWalKeepSizeMb: share must be in (0, 0.5] so WAL can never take most of the disk, got ${share}`,
    );
  }
  return Math.floor(allocatedStorageGiB * 1024 * share);
}

/**
 * Performance Insights is not offered on the smallest burstable classes; everything from
 * "medium" up supports it.
 */
export function supportsPerformanceInsights(instanceClass: string): boolean {
  const size = instanceClass.split('.')[1] ?? '';
  return !['micro', 'small'].includes(size);
}
