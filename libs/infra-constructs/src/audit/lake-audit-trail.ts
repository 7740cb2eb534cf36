import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { denyUseExceptAllowList, secureKey } from '../defaults/secure-key';
import { acknowledgeWildcard, wildcardResourceFinding } from '../nag/wildcard-findings';
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
  /**
   * The only roles that may read the trail and decrypt it (model: readsAuditTrail). The trail holds
   * Athena query text, which can carry MNPI literals.
   * @default - nobody: only CloudTrail writes, nobody reads
   */
  readonly readers?: readonly iam.IRole[];
  /**
   * Name of the trail (named so the bucket and key can check aws:SourceArn without a cycle).
   * @default `<stack name>-audit`
   */
  readonly trailName?: string;
  /**
   * S3 Object Lock in compliance mode for the retention period: nobody, the account root
   * included, can delete or overwrite a log file before it expires (model: immutableRecords).
   * @default false
   */
  readonly objectLock?: boolean;
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

    const readers = props.readers ?? [];
    const trailName = props.trailName ?? `${stack.stackName}-audit`;
    const trailArn = stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: trailName });
    // Confused-deputy guard: CloudTrail acts for this trail of this account only.
    const fromThisTrail = { 'aws:SourceArn': trailArn, 'aws:SourceAccount': stack.account };
    this.key = secureKey(this, 'Key', {
      description: 'CloudTrail log encryption for the lake audit trail',
      alias: props.keyAlias,
      removalPolicy,
    });
    denyUseExceptAllowList(this.key, {
      sid: 'DenyUseByOthersThanAuditReaders',
      allowed: () => readers.map((r) => r.roleArn),
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
        StringEquals: fromThisTrail,
      }),
      'kms:GenerateDataKey*',
    );
    this.key.grant(
      new iam.ServicePrincipal('cloudtrail.amazonaws.com').withConditions({ StringEquals: fromThisTrail }),
      'kms:DescribeKey',
    );

    this.logBucket = new KmsOnlyBucket(this, 'LogBucket', {
      encryptionKey: this.key,
      accessLogsBucket: props.accessLogsBucket,
      accessLogsPrefix: 'cloudtrail/',
      lifecycleRules: lakeLifecycleRules(props.retentionDays),
      removalPolicy,
      objectLockRetention: props.objectLock ? Duration.days(props.retentionDays) : undefined,
      noReplicationReason:
        'Audit logs are integrity-protected by log file validation and versioning; an organisation trail, not this stack, owns cross-region copies.',
    });
    for (const bucket of props.dataBuckets) {
      if (bucket === this.logBucket.bucket)
        throw new Error(`LakeAuditTrail ${this.node.path}: the trail bucket cannot be one of dataBuckets`);
    }

    const trailBucket = this.logBucket.bucket;
    for (const [sid, condition] of [
      ['DenyCloudTrailForOtherTrails', { ArnNotEquals: { 'aws:SourceArn': trailArn } }],
      ['DenyCloudTrailForOtherAccounts', { StringNotEquals: { 'aws:SourceAccount': stack.account } }],
    ] as const) {
      trailBucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid,
          effect: iam.Effect.DENY,
          principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
          actions: ['s3:GetBucketAcl', 's3:PutObject'],
          resources: [trailBucket.bucketArn, trailBucket.arnForObjects('*')],
          conditions: condition,
        }),
      );
    }
    // Reading the trail is for the audit readers only, whatever IAM grants anyone else.
    trailBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyReadByOthersThanAuditReaders',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAttributes', 's3:RestoreObject'],
        resources: [trailBucket.arnForObjects('*')],
        conditions: {
          ArnNotEquals: { 'aws:PrincipalArn': readers.length > 0 ? readers.map((r) => r.roleArn) : ['none'] },
          BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );
    for (const reader of readers) this.grantRead(reader);

    this.trail = new cloudtrail.Trail(this, 'Trail', {
      trailName,
      bucket: trailBucket,
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

  /** Read access to the trail's log files and key, for an audit reader. */
  private grantRead(reader: iam.IRole): iam.Grant {
    const grant = this.logBucket.bucket.grantRead(reader);
    this.key.grantDecrypt(reader);
    acknowledgeWildcard(reader, 'Action::s3:GetObject*', 'bucket.grantRead on the audit trail bucket only');
    acknowledgeWildcard(reader, 'Action::s3:GetBucket*', 'bucket.grantRead on the audit trail bucket only');
    acknowledgeWildcard(reader, 'Action::s3:List*', 'bucket.grantRead on the audit trail bucket only');
    acknowledgeWildcard(
      reader,
      wildcardResourceFinding(reader, this.logBucket.bucket.arnForObjects('*')),
      'Every log file of the audit trail, which this role exists to read',
    );
    acknowledgeNag(
      reader.node.findChild('DefaultPolicy'),
      'NIST.800.53.R5-IAMNoInlinePolicy',
      "CDK grant methods write this role's least-privilege statements into a policy attached to this role only.",
    );
    return grant;
  }
}
