import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeNag } from '../nag/acknowledge';

export interface KmsOnlyBucketProps {
  /**
   * Physical name of the bucket.
   * @default - a name CloudFormation generates
   */
  readonly bucketName?: string;
  /** The customer-managed key every object must be encrypted with. */
  readonly encryptionKey: IKey;
  /** Where S3 server access logs go. */
  readonly accessLogsBucket: s3.IBucket;
  /**
   * Key prefix of this bucket's access logs.
   * @default - `<construct id>/`
   */
  readonly accessLogsPrefix?: string;
  /** Lifecycle rules (see lakeLifecycleRules). */
  readonly lifecycleRules: s3.LifecycleRule[];
  /**
   * What happens to the bucket when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Default Object Lock retention (compliance mode): nobody can delete or overwrite an object
   * version before it ends. Object Lock can only be turned on when the bucket is created.
   * @default - no Object Lock
   */
  readonly objectLockRetention?: Duration;
  /** Why this bucket is not replicated to another region (recorded as the nag acknowledgment). */
  readonly noReplicationReason: string;
}

/**
 * A private, versioned, TLS-only bucket that stores objects only encrypted with its own KMS key: a
 * PutObject that asks for another kind of encryption (SSE-S3, SSE-C) or names another key is denied
 * by the bucket policy, and one that asks for nothing gets the bucket's default, this key. So no
 * writer can store plaintext or use a key whose policy admits other people, while writers that do
 * not send encryption headers (Glue creating an Iceberg table, its table optimizers) still can write.
 */
export class KmsOnlyBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly encryptionKey: IKey;

  constructor(scope: Construct, id: string, props: KmsOnlyBucketProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: props.accessLogsPrefix ?? `${id}/`,
      lifecycleRules: props.lifecycleRules,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      objectLockEnabled: props.objectLockRetention ? true : undefined,
      objectLockDefaultRetention: props.objectLockRetention
        ? s3.ObjectLockRetention.compliance(props.objectLockRetention)
        : undefined,
    });

    // Deny statements are the one kind of hand-written policy here: no grant method can express
    // "refuse writes that are not encrypted with this key".
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyObjectsNotEncryptedWithKms',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        // Absent, the bucket's default encryption (this key) applies.
        conditions: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyObjectsWithCustomerProvidedKeys',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        // SSE-C sends no x-amz-server-side-encryption header; its own header gives it away.
        conditions: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } },
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyObjectsEncryptedWithAnotherKey',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        // Only when a key is named: omitting it means the bucket's default key, which is this one.
        conditions: {
          StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': props.encryptionKey.keyArn },
          Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
        },
      }),
    );

    acknowledgeNag(
      this.bucket.node.defaultChild!,
      'NIST.800.53.R5-S3BucketReplicationEnabled',
      props.noReplicationReason,
    );
  }

  /** Expiry helper for buckets whose objects are short-lived (query results). */
  static expireAfter(days: number): s3.LifecycleRule[] {
    return [
      {
        id: 'expire',
        expiration: Duration.days(days),
        noncurrentVersionExpiration: Duration.days(1),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      },
    ];
  }
}
