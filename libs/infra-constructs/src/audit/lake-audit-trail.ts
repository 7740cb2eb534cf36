import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { secureKey } from '../defaults/secure-key';
import { KmsOnlyBucket } from '../lake/kms-only-bucket';
import { lakeLifecycleRules } from '../lake/lifecycle';
import { acknowledgeNag } from '../nag/acknowledge';

export interface LakeAuditTrailProps {
  /** Buckets whose object-level reads and writes are recorded (the lake buckets). */
  readonly dataBuckets: readonly IBucket[];
  /** Where the trail bucket's own S3 access logs go. */
  readonly accessLogsBucket: IBucket;
  /** How long audit logs are kept, in days. */
  readonly retentionDays: number;
  /** Alias of the trail's key, e.g. "alias/lakewall-dev-audit". */
  readonly keyAlias: string;
  /**
   * What happens to the trail bucket and key when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A CloudTrail trail recording management events and S3 data events on exactly the lake buckets,
 * with log-file validation, encrypted with its own key into its own bucket. The data-event selector
 * names bucket ARNs with `resources.ARN StartsWith`, which the L2 Trail cannot express, so it is set
 * with an override; the trail's own bucket is never in it (logging its own writes would loop).
 */
export class LakeAuditTrail extends Construct {
  readonly trail: cloudtrail.Trail;
  readonly key: kms.Key;
  readonly logBucket: KmsOnlyBucket;

  constructor(scope: Construct, id: string, props: LakeAuditTrailProps) {
    super(scope, id);
    if (props.dataBuckets.length === 0)
      throw new Error(`LakeAuditTrail ${this.node.path}: dataBuckets must not be empty`);
    const stack = Stack.of(this);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.key = secureKey(this, 'Key', {
      description: 'CloudTrail log encryption for the lake audit trail',
      alias: props.keyAlias,
      removalPolicy,
    });
    const trailArnPattern = stack.formatArn({
      service: 'cloudtrail',
      region: '*',
      resource: 'trail',
      resourceName: '*',
    });
    // CloudTrail encrypts each log file with a data key; the encryption context names the trail.
    this.key.grant(
      new iam.ServicePrincipal('cloudtrail.amazonaws.com').withConditions({
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trailArnPattern },
      }),
      'kms:GenerateDataKey*',
    );
    this.key.grant(new iam.ServicePrincipal('cloudtrail.amazonaws.com'), 'kms:DescribeKey');

    this.logBucket = new KmsOnlyBucket(this, 'LogBucket', {
      encryptionKey: this.key,
      accessLogsBucket: props.accessLogsBucket,
      accessLogsPrefix: 'cloudtrail/',
      lifecycleRules: lakeLifecycleRules(props.retentionDays),
      removalPolicy,
      noReplicationReason:
        'Audit logs are integrity-protected by log file validation and versioning; an organisation trail, not this stack, owns cross-region copies.',
    });
    for (const bucket of props.dataBuckets) {
      if (bucket === this.logBucket.bucket)
        throw new Error(`LakeAuditTrail ${this.node.path}: the trail bucket cannot be one of dataBuckets`);
    }

    this.trail = new cloudtrail.Trail(this, 'Trail', {
      bucket: this.logBucket.bucket,
      encryptionKey: this.key,
      enableFileValidation: true,
      includeGlobalServiceEvents: true,
      isMultiRegionTrail: true,
      managementEvents: cloudtrail.ReadWriteType.ALL,
    });
    const cfnTrail = this.trail.node.defaultChild as cloudtrail.CfnTrail;
    // Advanced selectors replace basic ones; a trail may have one kind only.
    cfnTrail.addPropertyDeletionOverride('EventSelectors');
    cfnTrail.addPropertyOverride('AdvancedEventSelectors', [
      { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
      {
        Name: 'Lake object reads and writes',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
          { Field: 'resources.ARN', StartsWith: props.dataBuckets.map((b) => `${b.bucketArn}/`) },
        ],
      },
    ]);

    acknowledgeNag(
      cfnTrail,
      'NIST.800.53.R5-CloudTrailCloudWatchLogsEnabled',
      'Audit events are kept in the validated, KMS-encrypted trail bucket; streaming them to CloudWatch Logs is left to the organisation-level security account.',
    );
  }
}
