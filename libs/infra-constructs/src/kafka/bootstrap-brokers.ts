import { Stack } from 'aws-cdk-lib';
import * as cr from 'aws-cdk-lib/custom-resources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';
import { acknowledgeNag } from '../nag/acknowledge';

export interface MskBrokerInfoProps {
  /** The cluster (CfnCluster.attrArn). */
  readonly clusterArn: string;
  /** How many brokers the cluster has (the model's environments.<env>.kafka.brokers). */
  readonly brokerCount: number;
  /** Log group of the custom resource's function (encrypted, with retention). */
  readonly logGroup: logs.ILogGroup;
}

/**
 * CloudFormation returns neither the bootstrap brokers nor the brokers' addresses of an MSK cluster:
 * two SDK calls read them at deploy time (GetBootstrapBrokers, ListNodes) and expose them as tokens.
 * The calls run again whenever the cluster ARN changes (a replaced cluster).
 */
export class MskBrokerInfo extends Construct {
  /** "b-1...:9096,b-2...:9096": TLS + SASL/SCRAM, for the services. */
  readonly bootstrapBrokersSaslScram: string;
  /** "b-1...:9098,...": TLS + IAM, for MSK Connect. */
  readonly bootstrapBrokersSaslIam: string;
  /** The client-VPC IP address of each broker, in ListNodes order. */
  readonly brokerIps: readonly string[];
  /**
   * The DNS name of each broker (b-1.<cluster>...), in ListNodes order: the host the brokers
   * advertise to clients, so a metric labelled with it can be matched to a broker of the metadata.
   */
  readonly brokerHosts: readonly string[];

  constructor(scope: Construct, id: string, props: MskBrokerInfoProps) {
    super(scope, id);
    const policy = cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [props.clusterArn] });
    const physicalResourceId = cr.PhysicalResourceId.of(props.clusterArn);

    const bootstrap = new cr.AwsCustomResource(this, 'BootstrapBrokers', {
      onUpdate: {
        service: 'Kafka',
        action: 'getBootstrapBrokers',
        parameters: { ClusterArn: props.clusterArn },
        physicalResourceId,
        outputPaths: ['BootstrapBrokerStringSaslScram', 'BootstrapBrokerStringSaslIam'],
      },
      policy,
      logGroup: props.logGroup,
      installLatestAwsSdk: false,
    });
    this.bootstrapBrokersSaslScram = bootstrap.getResponseField('BootstrapBrokerStringSaslScram');
    this.bootstrapBrokersSaslIam = bootstrap.getResponseField('BootstrapBrokerStringSaslIam');

    const indices = Array.from({ length: props.brokerCount }, (_, i) => i);
    const nodes = new cr.AwsCustomResource(this, 'BrokerNodes', {
      onUpdate: {
        service: 'Kafka',
        action: 'listNodes',
        parameters: { ClusterArn: props.clusterArn, MaxResults: Math.max(props.brokerCount, 1) },
        physicalResourceId,
        outputPaths: indices.flatMap((i) => [
          `NodeInfoList.${i}.BrokerNodeInfo.ClientVpcIpAddress`,
          `NodeInfoList.${i}.BrokerNodeInfo.Endpoints.0`,
        ]),
      },
      policy,
      logGroup: props.logGroup,
      installLatestAwsSdk: false,
    });
    this.brokerIps = indices.map((i) =>
      nodes.getResponseField(`NodeInfoList.${i}.BrokerNodeInfo.ClientVpcIpAddress`),
    );
    this.brokerHosts = indices.map((i) =>
      nodes.getResponseField(`NodeInfoList.${i}.BrokerNodeInfo.Endpoints.0`),
    );

    for (const resource of [bootstrap, nodes]) {
      acknowledgeNag(
        resource.node.findChild('CustomResourcePolicy'),
        'NIST.800.53.R5-IAMNoInlinePolicy',
        'AwsCustomResource writes the one SDK call it makes, on this cluster ARN only, into a policy of its provider role.',
      );
    }
    acknowledgeProviderFunction(Stack.of(this).node.findChild(PROVIDER_ID));
  }
}

/** The construct id of the stack-wide function that runs every AwsCustomResource of a stack. */
const PROVIDER_ID = `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;

function acknowledgeProviderFunction(provider: IConstruct): void {
  const fn = provider.node.defaultChild!;
  const why =
    "CDK's AwsCustomResource provider runs only when CloudFormation invokes it during a deployment, synchronously";
  acknowledgeNag(
    fn,
    'NIST.800.53.R5-LambdaDLQ',
    `${why}; CloudFormation reports its failure and fails the deployment.`,
  );
  acknowledgeNag(
    fn,
    'NIST.800.53.R5-LambdaConcurrency',
    `${why}; a concurrency limit would protect nothing.`,
  );
  acknowledgeNag(
    fn,
    'NIST.800.53.R5-LambdaInsideVPC',
    `${why}; it calls only the MSK control-plane API (read-only) and touches no data, so it stays outside the isolated VPC.`,
  );
  acknowledgeNag(
    provider.node.findChild('ServiceRole'),
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'The provider function needs only to write its own logs; the AWS-managed basic execution policy grants exactly that.',
  );
}
