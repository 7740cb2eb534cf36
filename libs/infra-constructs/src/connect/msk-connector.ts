import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as kafkaconnect from 'aws-cdk-lib/aws-kafkaconnect';
import * as logs from 'aws-cdk-lib/aws-logs';
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { acknowledgeNag } from '../nag/acknowledge';
import { acknowledgeWildcard, wildcardResourceFinding } from '../nag/wildcard-findings';
import type { MskCluster } from '../kafka/msk-cluster';

/** One resource of MSK's IAM access control and the actions on it (model: deriveMskIamGrants). */
export interface KafkaIamGrant {
  readonly resourceType: 'cluster' | 'topic' | 'group' | 'transactional-id';
  /** Empty for the cluster; a trailing "*" is a prefix. */
  readonly resourceName: string;
  readonly actions: readonly string[];
}

export interface MskConnectorProps {
  /** The connector's name before its replacement suffix, e.g. "lakewall-sink-mnpi". */
  readonly baseName: string;
  /** The connector configuration (the model's derivation); secrets only as config-provider references. */
  readonly connectorConfiguration: Readonly<Record<string, string>>;
  /** The custom plugins the connector loads. */
  readonly plugins: readonly kafkaconnect.CfnCustomPlugin[];
  readonly workerConfiguration: kafkaconnect.CfnWorkerConfiguration;
  readonly cluster: MskCluster;
  /** The connector's own security group (its flows are declared by the caller with SgIngress). */
  readonly securityGroup: ec2.ISecurityGroup;
  /** Its Kafka grants, translated from the model's ACLs of its principal. */
  readonly kafkaGrants: readonly KafkaIamGrant[];
  /**
   * The execution role; it is given MSK Connect's trust and the Kafka grants.
   * @default a new role for this connector alone
   */
  readonly executionRole?: iam.Role;
  /** Key of the connector's log group. */
  readonly logKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /**
   * MSK Connect's Kafka Connect version.
   * @default '3.7.x'
   */
  readonly kafkaConnectVersion?: string;
  /**
   * Provisioned capacity.
   * @default { mcuCount: 1, workerCount: 1 }
   */
  readonly capacity?: { readonly mcuCount: number; readonly workerCount: number };
}

/**
 * An MSK Connect connector (only L1s exist) that authenticates with IAM as its own execution role,
 * over TLS, logging to an encrypted log group. Changing anything but the connector configuration
 * replaces the connector, and CloudFormation creates the replacement before deleting the old one:
 * the name carries a hash of everything that forces a replacement, so the two never collide.
 */
export class MskConnector extends Construct {
  readonly connector: kafkaconnect.CfnConnector;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly connectorName: string;

  constructor(scope: Construct, id: string, props: MskConnectorProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const leaked = Object.entries(props.connectorConfiguration).find(
      ([key, value]) => /password|secret/i.test(key) && value !== '' && !/^\$\{[a-z]+:.+\}$/.test(value),
    );
    if (leaked) {
      throw new Error(
        `MskConnector ${this.node.path}: ${leaked[0]} holds a literal; secrets reach connectors only as config-provider references such as \${secretsmanager:...}`,
      );
    }
    if (props.plugins.length === 0) throw new Error(`MskConnector ${this.node.path}: no custom plugin`);

    this.role =
      props.executionRole ??
      new iam.Role(this, 'ExecutionRole', {
        assumedBy: connectPrincipal(stack),
        description: `MSK Connect connector ${props.baseName}`,
      });
    // A given execution role (a sink's writer role, made with the lake so the zone key names it)
    // already trusts MSK Connect of this account only: see mskConnectPrincipal.

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.logKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const replacing = {
      kafkaConnectVersion: props.kafkaConnectVersion ?? '3.7.x',
      capacity: {
        provisionedCapacity: props.capacity ?? { mcuCount: 1, workerCount: 1 },
      },
      kafkaCluster: {
        apacheKafkaCluster: {
          bootstrapServers: props.cluster.brokers.bootstrapBrokersSaslIam,
          vpc: {
            securityGroups: [props.securityGroup.securityGroupId],
            subnets: props.cluster.clientSubnetIds,
          },
        },
      },
      kafkaClusterClientAuthentication: { authenticationType: 'IAM' },
      kafkaClusterEncryptionInTransit: { encryptionType: 'TLS' },
      plugins: props.plugins.map((p) => ({
        customPlugin: { customPluginArn: p.attrCustomPluginArn, revision: p.attrRevision },
      })),
      workerConfiguration: {
        workerConfigurationArn: props.workerConfiguration.attrWorkerConfigurationArn,
        revision: props.workerConfiguration.attrRevision,
      },
      logDelivery: {
        workerLogDelivery: { cloudWatchLogs: { enabled: true, logGroup: this.logGroup.logGroupName } },
      },
      serviceExecutionRoleArn: this.role.roleArn,
    };
    // Tokens resolve to stable CloudFormation expressions (Ref/GetAtt), so the hash changes exactly
    // when a property that forces a replacement changes.
    const digest = createHash('sha256')
      .update(JSON.stringify(stack.resolve(replacing)))
      .digest('hex')
      .slice(0, 8);
    this.connectorName = `${props.baseName}-${digest}`;

    this.grantKafka(props.cluster, props.kafkaGrants);

    this.connector = new kafkaconnect.CfnConnector(this, 'Connector', {
      connectorName: this.connectorName,
      connectorConfiguration: { ...props.connectorConfiguration },
      ...replacing,
    });
    // MSK Connect checks the role's Kafka grants when it creates the connector: the policy first.
    const policy = this.role.node.tryFindChild('DefaultPolicy');
    if (policy && Stack.of(policy) === stack) this.connector.node.addDependency(policy);
  }

  private grantKafka(cluster: MskCluster, grants: readonly KafkaIamGrant[]): void {
    for (const grant of grants) {
      // A prefixed grant names the cluster by its name (unique per account and region) rather than
      // its deploy-time UUID, so its wildcard acknowledgment names exactly one pattern.
      const resource =
        grant.resourceType === 'cluster'
          ? cluster.clusterArn
          : grant.resourceName.endsWith('*')
            ? Stack.of(this).formatArn({
                service: 'kafka',
                resource: grant.resourceType,
                resourceName: `${cluster.clusterName}/*/${grant.resourceName}`,
                arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
              })
            : cluster.kafkaResourceArn(grant.resourceType, grant.resourceName);
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: [...grant.actions], resources: [resource] }),
      );
      // A prefixed ACL of the model (a sink's per-task control groups and transactional ids, whose
      // names end in ids Iceberg makes at run time) translates to a trailing wildcard.
      if (grant.resourceName.endsWith('*'))
        acknowledgeWildcard(
          this.role,
          wildcardResourceFinding(this.role, resource),
          `the model's prefixed grant ${grant.resourceType} ${grant.resourceName}: names under this connector's own prefix, made at run time`,
        );
    }
    // MSK Connect's own internal topics and group for this connector (configs, offsets, status),
    // named after the connector, so no connector can read another one's.
    // The cluster is named by its name (unique per account and region), not its deploy-time UUID:
    // the pattern then holds no token from another stack and its acknowledgment names it exactly.
    const internal = `__amazon_msk_connect_*_${this.connectorName}_*`;
    const internalArn = (type: string) =>
      Stack.of(this).formatArn({
        service: 'kafka',
        resource: type,
        resourceName: `${cluster.clusterName}/*/${internal}`,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    const internalTopics = internalArn('topic');
    const internalGroups = internalArn('group');
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'kafka-cluster:CreateTopic',
          'kafka-cluster:DescribeTopic',
          'kafka-cluster:ReadData',
          'kafka-cluster:WriteData',
        ],
        resources: [internalTopics],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kafka-cluster:AlterGroup', 'kafka-cluster:DescribeGroup'],
        resources: [internalGroups],
      }),
    );
    const why = `MSK Connect names its internal topics and group for this connector ${this.connectorName} with an id known only after creation; the pattern is pinned to this connector's name`;
    acknowledgeWildcard(this.role, wildcardResourceFinding(this.role, internalTopics), why);
    acknowledgeWildcard(this.role, wildcardResourceFinding(this.role, internalGroups), why);
    const policy = this.role.node.tryFindChild('DefaultPolicy');
    if (policy) {
      acknowledgeNag(
        policy,
        'NIST.800.53.R5-IAMNoInlinePolicy',
        "The connector's Kafka grants, translated from its principal's ACLs, in a policy attached to its own execution role only.",
      );
    }
  }
}

function connectPrincipal(stack: Stack): iam.IPrincipal {
  return mskConnectPrincipal(stack);
}

/** Confused-deputy guard: only MSK Connect connectors of this account and region may assume the role. */
export function mskConnectPrincipal(stack: Stack): iam.IPrincipal {
  return new iam.ServicePrincipal('kafkaconnect.amazonaws.com').withConditions({
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: {
      'aws:SourceArn': stack.formatArn({ service: 'kafkaconnect', resource: 'connector', resourceName: '*' }),
    },
  });
}
