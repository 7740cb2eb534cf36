import { Duration } from 'aws-cdk-lib';
import { StorageClass, type LifecycleRule } from 'aws-cdk-lib/aws-s3';

/**
 * Storage-class steps for lake objects, cheapest last. Every class here is one Athena reads
 * directly: lake data must stay queryable for its whole retention, and Glacier Flexible Retrieval
 * and Deep Archive objects cannot be queried (a restore first, for each object, for days). A step is
 * used only when it comes strictly before the retention period ends, so a short retention (dev
 * keeps 30 days) simply has fewer steps and never a transition on or after expiry (which S3 rejects).
 */
export const LAKE_TRANSITIONS: readonly { storageClass: StorageClass; afterDays: number }[] = [
  // S3 refuses transitions to an infrequent-access class before 30 days.
  { storageClass: StorageClass.INFREQUENT_ACCESS, afterDays: 30 },
  { storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, afterDays: 90 },
];

/** Storage classes Athena cannot read without a restore: never a lake transition. */
export const UNQUERYABLE_STORAGE_CLASSES: readonly StorageClass[] = [
  StorageClass.GLACIER,
  StorageClass.DEEP_ARCHIVE,
];

/** How long a replaced or deleted object version is kept: long enough to undo a bad write. */
export const NONCURRENT_VERSION_DAYS = 30;

export interface LakeLifecycleOptions {
  /**
   * Whether current objects expire when the retention period ends. Off for Iceberg tables: a data,
   * manifest or metadata file that disappears under a table breaks every query of it; there, table
   * maintenance deletes what no snapshot references, and these rules clear the versions it leaves.
   * @default true
   */
  readonly expireCurrentObjects?: boolean;
}

/** Lifecycle rules for a lake bucket holding data for `retentionDays` (from the platform model). */
export function lakeLifecycleRules(
  retentionDays: number,
  options: LakeLifecycleOptions = {},
): LifecycleRule[] {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new Error(`lakeLifecycleRules: retentionDays must be a positive integer, got ${retentionDays}`);
  }
  const expire = options.expireCurrentObjects ?? true;
  return [
    {
      id: 'retention',
      enabled: true,
      transitions: LAKE_TRANSITIONS.filter((t) => t.afterDays < retentionDays).map((t) => ({
        storageClass: t.storageClass,
        transitionAfter: Duration.days(t.afterDays),
      })),
      expiration: expire ? Duration.days(retentionDays) : undefined,
      noncurrentVersionExpiration: Duration.days(Math.min(NONCURRENT_VERSION_DAYS, retentionDays)),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
      // Without expiry of current objects, the delete markers table maintenance leaves are removed here.
      expiredObjectDeleteMarker: expire ? false : true,
    },
  ];
}
