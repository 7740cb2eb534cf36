import { ArnFormat, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as msk from 'aws-cdk-lib/aws-msk';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { LakeNetwork } from '../network/lake-network';
import { KeyAdministration } from '../defaults/key-administration';
import { denyUseExceptAllowList, secureKey } from '../defaults/secure-key';
import { SgIngress } from '../network/sg-ingress';
import { MskBrokerInfo } from './bootstrap-brokers';
import { KafkaBootstrapEndpoint } from './bootstrap-endpoint';
import { ScramSecrets, mskServiceLinkedRoleArn, type ScramSecretSpecProps } from './scram-secrets';

/** The listener ports of an MSK cluster with TLS in transit. */
export const MSK_PORTS = {
  /** TLS + SASL/SCRAM: the services. */
  scram: 9096,
  /** TLS + IAM: MSK Connect, which cannot use SCRAM. */
  iam: 9098,
} as const;

/** The open-monitoring exporters' ports (Prometheus JMX exporter, node exporter). */
export const MSK_OPEN_MONITORING_PORTS = { jmx: 11001, node: 11002 } as const;

export interface MskClusterProps {
  readonly network: LakeNetwork;
  /** Model: mskClusterName. */
  readonly clusterName: string;
  /** The MSK version string (model: mskKafkaVersion), e.g. "4.1.x.kraft". */
  readonly kafkaVersion: string;
  /** Model: environments.<env>.kafka.brokers; a multiple of the VPC's zones. */
  readonly brokerCount: number;
  /** Model: environments.<env>.kafka.brokerInstanceType, e.g. "kafka.m7g.large". */
  readonly brokerInstanceType: string;
  /** Model: environments.<env>.kafka.brokerStorageGiB. */
  readonly brokerStorageGiB: number;
  /** The cluster configuration (model: deriveBrokerPolicy, rendered as server.properties). */
  readonly serverProperties: string;
  /** One SCRAM secret per Kafka principal (model: deriveScramSecrets). */
  readonly scramSecrets: readonly ScramSecretSpecProps[];
  /** Alias prefix of the cluster's keys, e.g. "alias/lakewall-dev-kafka" (gets "-storage" and "-scram"). */
  readonly keyAliasPrefix: string;
  /** How long broker logs are kept. */
  readonly logRetention: logs.RetentionDays;
  /**
   * Roles that may read a principal's SCRAM secret (see ScramSecretsProps.readerRoleNames).
   * @default none
   */
  readonly scramReaderRoleNames?: readonly string[];
  /**
   * The bootstrap endpoint's host name, e.g. "kafka.dev.lakewall.internal": its first label is the
   * record, the rest the private hosted zone.
   */
  readonly bootstrapHost: string;
  /** The bootstrap load balancer's access logs. */
  readonly accessLogsBucket: IBucket;
  /**
   * Enhanced monitoring level.
   * @default 'PER_TOPIC_PER_PARTITION' (consumer lag per partition in CloudWatch)
   */
  readonly enhancedMonitoring?: 'DEFAULT' | 'PER_BROKER' | 'PER_TOPIC_PER_BROKER' | 'PER_TOPIC_PER_PARTITION';
  /**
   * Refuse deletion of the bootstrap load balancer; keys, secrets and logs are always retained.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/**
 * The provisioned MSK cluster (L1 CfnCluster: the alpha L2 ignores a given SCRAM key, multiplies
 * broker counts by zones and refuses IAM beside SCRAM). TLS only in transit, SASL/SCRAM for the
 * services and IAM for MSK Connect, no unauthenticated access, storage encrypted with a
 * customer-managed key, enhanced and open monitoring, broker logs in an encrypted log group, and a
 * configuration from the model. Clients are admitted with allowClientsFrom, never by CIDR.
 */
export class MskCluster extends Construct {
  readonly cluster: msk.CfnCluster;
  readonly configuration: msk.CfnConfiguration;
  readonly key: kms.Key;
  readonly securityGroup: ec2.SecurityGroup;
  readonly logGroup: logs.LogGroup;
  readonly scram: ScramSecrets;
  readonly brokers: MskBrokerInfo;
  readonly bootstrapEndpoint: KafkaBootstrapEndpoint;
  readonly clusterName: string;
  /** The subnets the brokers' client interfaces live in (one per zone); connectors use the same. */
  readonly clientSubnetIds: string[];

  constructor(scope: Construct, id: string, props: MskClusterProps) {
    super(scope, id);
    const subnets = props.network.vpc.isolatedSubnets;
    validate(this, props, subnets.length);
    const stack = Stack.of(this);

    this.clusterName = props.clusterName;
    this.clientSubnetIds = subnets.map((s) => s.subnetId);
    this.key = secureKey(this, 'StorageKey', {
      description: `Kafka ${props.clusterName}: broker storage and broker logs`,
      alias: `${props.keyAliasPrefix}-storage`,
    });
    // Broker volumes and logs: the deployment role creates the cluster (and MSK's grant on the key),
    // MSK's service-linked role and CloudWatch Logs use it; no principal of the account decrypts.
    denyUseExceptAllowList(this.key, {
      sid: 'DenyUseOutsideStorageAllowList',
      allowed: () => [KeyAdministration.of(this).deploymentRoleArn, mskServiceLinkedRoleArn(stack)],
    });
    const logGroupName = `/aws/msk/${props.clusterName}`;
    this.key.grant(
      new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`).withConditions({
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: `${logGroupName}*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      }),
      'kms:Encrypt*',
      'kms:Decrypt*',
      'kms:ReEncrypt*',
      'kms:GenerateDataKey*',
      'kms:Describe*',
    );
    this.logGroup = new logs.LogGroup(this, 'BrokerLogs', {
      logGroupName: `${logGroupName}/brokers`,
      encryptionKey: this.key,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.securityGroup = props.network.newSecurityGroup(
      'KafkaSecurityGroup',
      `Kafka ${props.clusterName}: TLS listeners from declared clients only`,
    );

    this.configuration = new msk.CfnConfiguration(this, 'Configuration', {
      name: `${props.clusterName}-config`,
      description: 'Broker policy derived from the platform model',
      kafkaVersionsList: [props.kafkaVersion],
      serverProperties: props.serverProperties,
    });

    this.cluster = new msk.CfnCluster(this, 'Cluster', {
      clusterName: props.clusterName,
      kafkaVersion: props.kafkaVersion,
      numberOfBrokerNodes: props.brokerCount,
      brokerNodeGroupInfo: {
        clientSubnets: this.clientSubnetIds,
        instanceType: props.brokerInstanceType,
        securityGroups: [this.securityGroup.securityGroupId],
        storageInfo: { ebsStorageInfo: { volumeSize: props.brokerStorageGiB } },
        connectivityInfo: { publicAccess: { type: 'DISABLED' } },
      },
      clientAuthentication: {
        sasl: { scram: { enabled: true }, iam: { enabled: true } },
        unauthenticated: { enabled: false },
        tls: { enabled: false },
      },
      encryptionInfo: {
        encryptionAtRest: { dataVolumeKmsKeyId: this.key.keyArn },
        encryptionInTransit: { clientBroker: 'TLS', inCluster: true },
      },
      enhancedMonitoring: props.enhancedMonitoring ?? 'PER_TOPIC_PER_PARTITION',
      openMonitoring: {
        prometheus: { jmxExporter: { enabledInBroker: true }, nodeExporter: { enabledInBroker: true } },
      },
      loggingInfo: {
        brokerLogs: { cloudWatchLogs: { enabled: true, logGroup: this.logGroup.logGroupName } },
      },
      configurationInfo: {
        arn: this.configuration.attrArn,
        revision: this.configuration.attrLatestRevisionRevision,
      },
    });
    this.cluster.applyRemovalPolicy(RemovalPolicy.RETAIN);

    this.scram = new ScramSecrets(this, 'Scram', {
      clusterArn: this.cluster.attrArn,
      secrets: props.scramSecrets,
      keyAlias: `${props.keyAliasPrefix}-scram`,
      readerRoleNames: props.scramReaderRoleNames,
    });

    const providerLogs = new logs.LogGroup(this, 'BrokerInfoLogs', {
      encryptionKey: this.key,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.brokers = new MskBrokerInfo(this, 'BrokerInfo', {
      clusterArn: this.cluster.attrArn,
      brokerCount: props.brokerCount,
      logGroup: providerLogs,
    });
    const [recordName, ...zoneLabels] = props.bootstrapHost.split('.');
    const bootstrapZone = zoneLabels.join('.');
    this.bootstrapEndpoint = new KafkaBootstrapEndpoint(this, 'Bootstrap', {
      network: props.network,
      brokerSecurityGroup: this.securityGroup,
      brokerIps: this.brokers.brokerIps,
      ports: MSK_PORTS,
      zoneName: bootstrapZone,
      recordName,
      accessLogsBucket: props.accessLogsBucket,
      deletionProtection: props.deletionProtection,
    });
  }

  get clusterArn(): string {
    return this.cluster.attrArn;
  }

  /** Lets `client` reach the brokers and the bootstrap endpoint on the TLS listeners. */
  allowClientsFrom(client: ec2.ISecurityGroup, description: string): void {
    for (const [name, port] of Object.entries(MSK_PORTS)) {
      SgIngress.allow(client, this.securityGroup, ec2.Port.tcp(port), `${description} (Kafka ${name})`);
    }
    this.bootstrapEndpoint.allowClientsFrom(client, description);
  }

  /** Lets a Prometheus scraper reach the brokers' open-monitoring exporters. */
  allowMetricsScrapeFrom(scraper: ec2.ISecurityGroup, description: string): void {
    for (const [name, port] of Object.entries(MSK_OPEN_MONITORING_PORTS)) {
      SgIngress.allow(scraper, this.securityGroup, ec2.Port.tcp(port), `${description} (${name} exporter)`);
    }
  }

  /**
   * The ARN of a Kafka resource of this cluster for IAM access control, e.g.
   * kafkaResourceArn('topic', 'cdc.trades.mnpi') (the cluster's UUID comes from its ARN).
   */
  kafkaResourceArn(type: 'topic' | 'group' | 'transactional-id', name: string): string {
    // arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid>: the uuid is known only at deploy time.
    const uuid = Fn.select(2, Fn.split('/', this.cluster.attrArn));
    return Stack.of(this).formatArn({
      service: 'kafka',
      resource: type,
      resourceName: `${this.clusterName}/${uuid}/${name}`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }
}

function validate(scope: Construct, props: MskClusterProps, zones: number): void {
  const fail = (message: string) => {
    throw new Error(`MskCluster ${scope.node.path}: ${message}`);
  };
  if (zones < 2 || zones > 3) fail(`MSK needs 2 or 3 client subnets (one per zone), the VPC has ${zones}`);
  // A record and a zone of at least two labels (a hosted zone is never a top-level domain).
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+){2,}$/.test(props.bootstrapHost)) {
    fail(`bootstrapHost '${props.bootstrapHost}' must be <record>.<zone> with a zone of two labels or more`);
  }
  if (props.brokerCount < zones || props.brokerCount % zones !== 0) {
    fail(`brokerCount ${props.brokerCount} must be a multiple of the ${zones} zones`);
  }
  if (!/^kafka\.[a-z0-9]+\.[a-z0-9]+$/.test(props.brokerInstanceType)) {
    fail(
      `brokerInstanceType '${props.brokerInstanceType}' is not an MSK broker type such as kafka.m7g.large`,
    );
  }
  if (props.brokerStorageGiB < 1 || props.brokerStorageGiB > 16384) {
    fail(`brokerStorageGiB ${props.brokerStorageGiB} is outside MSK's 1..16384`);
  }
  for (const required of ['auto.create.topics.enable=false', 'allow.everyone.if.no.acl.found=false']) {
    if (!props.serverProperties.split('\n').includes(required))
      fail(`serverProperties must contain ${required}`);
  }
}
