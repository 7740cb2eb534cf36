import { Duration } from 'aws-cdk-lib';
import { StorageClass, type LifecycleRule } from 'aws-cdk-lib/aws-s3';

/**
 * Storage-class steps for lake objects, cheapest last. A step is used only when it comes strictly
 * before the retention period ends, so a short retention (dev keeps 30 days) simply has fewer steps
 * and never a transition on or after expiry (which S3 rejects).
 */
export const LAKE_TRANSITIONS: readonly { storageClass: StorageClass; afterDays: number }[] = [
  // S3 refuses transitions to an infrequent-access class before 30 days.
  { storageClass: StorageClass.INFREQUENT_ACCESS, afterDays: 30 },
  { storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, afterDays: 90 },
  { storageClass: StorageClass.GLACIER, afterDays: 180 },
  { storageClass: StorageClass.DEEP_ARCHIVE, afterDays: 365 },
];

/** How long a replaced or deleted object version is kept: long enough to undo a bad write. */
export const NONCURRENT_VERSION_DAYS = 30;

/** Lifecycle rules for a lake bucket holding data for `retentionDays` (from the platform model). */
export function lakeLifecycleRules(retentionDays: number): LifecycleRule[] {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new Error(`lakeLifecycleRules: retentionDays must be a positive integer, got ${retentionDays}`);
  }
  return [
    {
      id: 'retention',
      enabled: true,
      transitions: LAKE_TRANSITIONS.filter((t) => t.afterDays < retentionDays).map((t) => ({
        storageClass: t.storageClass,
        transitionAfter: Duration.days(t.afterDays),
      })),
      expiration: Duration.days(retentionDays),
      noncurrentVersionExpiration: Duration.days(Math.min(NONCURRENT_VERSION_DAYS, retentionDays)),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
      expiredObjectDeleteMarker: false,
    },
  ];
}
