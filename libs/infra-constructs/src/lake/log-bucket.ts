import { Duration, FeatureFlags, RemovalPolicy } from 'aws-cdk-lib';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeNag } from '../nag/acknowledge';

export interface LogBucketProps {
  /** How long access and flow logs are kept, in days (the environment's lake retention). */
  readonly retentionDays: number;
  /**
   * What happens to the bucket when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Receives S3 server access logs and VPC flow logs. S3 log delivery writes only to SSE-S3 buckets and
 * a log bucket cannot usefully log to itself: those two departures from the lake-bucket defaults are
 * acknowledged here, on this bucket only.
 */
export class LogBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: LogBucketProps) {
    super(scope, id);
    // With ACLs disabled, S3 can deliver access logs only under the bucket-policy grant CDK writes
    // when this flag is on (it is among the flags CDK recommends for new projects).
    if (!FeatureFlags.of(this).isEnabled(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY)) {
      throw new Error(
        `LogBucket ${this.node.path}: needs the feature flag ${S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY} (log delivery through the bucket policy, no ACLs)`,
      );
    }
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // ACLs off: log delivery writes through the bucket policy (CDK's recommended flag).
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'log-retention',
          expiration: Duration.days(props.retentionDays),
          noncurrentVersionExpiration: Duration.days(Math.min(30, props.retentionDays)),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });

    const resource = this.bucket.node.defaultChild!;
    acknowledgeNag(
      resource,
      'AwsSolutions-S1',
      'This is the access-log bucket itself; logging it to itself would loop.',
    );
    acknowledgeNag(
      resource,
      'NIST.800.53.R5-S3BucketLoggingEnabled',
      'This is the access-log bucket itself; logging it to itself would loop.',
    );
    acknowledgeNag(
      resource,
      'NIST.800.53.R5-S3DefaultEncryptionKMS',
      'S3 server access log delivery only supports SSE-S3 destination buckets.',
    );
    acknowledgeNag(
      resource,
      'NIST.800.53.R5-S3BucketReplicationEnabled',
      'Operational logs are kept in-region; cross-region replication is not required for them.',
    );
  }
}
