import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface AthenaWorkgroupProps {
  /** Workgroup name (model: deriveAthenaAccess().workgroup). */
  readonly name: string;
  readonly description: string;
  /** Bucket that receives the query results. */
  readonly resultsBucket: IBucket;
  /** Key prefix of this workgroup's results, ending with '/'. */
  readonly resultsPrefix: string;
  /** Key the results are encrypted with (SSE-KMS). */
  readonly resultsKey: IKey;
  /**
   * Largest scan one query may do, in bytes.
   * @default 1 TiB
   */
  readonly bytesScannedCutoffPerQuery?: number;
}

/** Athena actions a query author needs on their own workgroup. */
const QUERY_ACTIONS = [
  'athena:GetWorkGroup',
  'athena:StartQueryExecution',
  'athena:StopQueryExecution',
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:GetQueryResultsStream',
  'athena:BatchGetQueryExecution',
  'athena:ListQueryExecutions',
  'athena:GetQueryRuntimeStatistics',
];

/**
 * An Athena workgroup whose settings clients cannot override: results always go, SSE-KMS encrypted
 * with the given key, under the workgroup's prefix.
 */
export class AthenaWorkgroup extends Construct {
  readonly workgroup: athena.CfnWorkGroup;
  readonly name: string;

  constructor(scope: Construct, id: string, props: AthenaWorkgroupProps) {
    super(scope, id);
    if (!props.resultsPrefix.endsWith('/'))
      throw new Error(`AthenaWorkgroup ${this.node.path}: resultsPrefix must end with '/'`);
    this.name = props.name;
    this.workgroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: props.name,
      description: props.description,
      state: 'ENABLED',
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery ?? 1024 ** 4,
        engineVersion: { selectedEngineVersion: 'AUTO' },
        resultConfiguration: {
          outputLocation: `s3://${props.resultsBucket.bucketName}/${props.resultsPrefix}`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.resultsKey.keyArn },
          expectedBucketOwner: Stack.of(this).account,
        },
      },
    });
  }

  /** ARN of the workgroup. */
  get arn(): string {
    return Stack.of(this).formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.name });
  }

  /** Running queries in this workgroup, and no other. */
  grantQuery(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: QUERY_ACTIONS, resourceArns: [this.arn] });
  }
}
