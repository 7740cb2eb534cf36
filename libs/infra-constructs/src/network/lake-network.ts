import { ArnFormat, CfnResource, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { KeyAdministration } from '../defaults/key-administration';
import { denyUseExceptAllowList, secureKey } from '../defaults/secure-key';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Port, SecurityGroup, type ISecurityGroup } from 'aws-cdk-lib/aws-ec2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { SgIngress } from './sg-ingress';

export interface LakeNetworkProps {
  /** Explicit zone names (see availabilityZonesFor): synthesis never looks them up. */
  readonly availabilityZones: readonly string[];
  /**
   * IPv4 range of the VPC.
   * @default '10.40.0.0/16'
   */
  readonly cidr?: string;
  /** Bucket that receives the VPC flow logs (the platform's log bucket). */
  readonly flowLogBucket: IBucket;
  /**
   * Key prefix of the flow logs in flowLogBucket.
   * @default 'vpc-flow-logs/'
   */
  readonly flowLogPrefix?: string;
  /**
   * Retention of the log group of CDK's default-security-group provider (created here, with a key,
   * instead of implicitly by Lambda with neither).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly providerLogRetention?: logs.RetentionDays;
  /**
   * Alias of the key of that log group.
   * @default `alias/<stack name>-network-logs`
   */
  readonly logsKeyAlias?: string;
}

/** The interface endpoints the data services need; with them no subnet needs a route to the internet. */
const INTERFACE_ENDPOINTS: Record<string, ec2.InterfaceVpcEndpointAwsService> = {
  Kms: ec2.InterfaceVpcEndpointAwsService.KMS,
  SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  Sts: ec2.InterfaceVpcEndpointAwsService.STS,
  Ecr: ec2.InterfaceVpcEndpointAwsService.ECR,
  EcrDocker: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
  Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  Glue: ec2.InterfaceVpcEndpointAwsService.GLUE,
  Athena: ec2.InterfaceVpcEndpointAwsService.ATHENA,
};

/**
 * Interface endpoints whose every action names a resource: their policy admits only this account's
 * resources. The others (STS, ECR's authorization token) act on "*", so their policy admits only
 * this account's principals.
 */
const RESOURCE_SCOPED_ENDPOINTS = new Set(['Kms', 'SecretsManager', 'Logs', 'Glue', 'Athena']);

/**
 * The platform VPC: isolated subnets only (no internet gateway, no NAT), AWS APIs reached through
 * VPC endpoints, every flow logged. Data services get their own security groups and declare their
 * flows with SgIngress; `allowEndpointAccess` opens the endpoints (HTTPS) to one of them.
 */
export class LakeNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  /** The security group shared by the interface endpoints: HTTPS from declared consumers only. */
  readonly endpointSecurityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: LakeNetworkProps) {
    super(scope, id);
    if (props.availabilityZones.length < 2) {
      throw new Error(
        `LakeNetwork ${this.node.path}: availabilityZones needs at least 2 zones (RDS subnet groups span two), got ${props.availabilityZones.length}`,
      );
    }

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr ?? '10.40.0.0/16'),
      availabilityZones: [...props.availabilityZones],
      natGateways: 0,
      subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 22 }],
      // Closes the default security group (a custom resource strips its rules).
      restrictDefaultSecurityGroup: true,
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    });

    // Zones are named on purpose (derived from the model's region) so synthesis needs no lookup.
    Validations.of(this.vpc).acknowledge({
      id: 'CloudFormation-Validate::W3010',
      reason:
        'Availability zones are derived from the region in the platform model so that synthesis needs no account lookup.',
    });

    this.encryptProviderLogs(props);

    this.vpc.addFlowLog('FlowLogs', {
      destination: ec2.FlowLogDestination.toS3(props.flowLogBucket, props.flowLogPrefix ?? 'vpc-flow-logs/'),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    this.endpointSecurityGroup = new SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'VPC interface endpoints: HTTPS from declared consumers only',
      allowAllOutbound: false,
    });
    const account = Stack.of(this).account;
    for (const [name, service] of Object.entries(INTERFACE_ENDPOINTS)) {
      const endpoint = this.vpc.addInterfaceEndpoint(name, {
        service,
        securityGroups: [this.endpointSecurityGroup],
        // Not "open": the endpoint accepts only the groups that allowEndpointAccess names.
        open: false,
        privateDnsEnabled: true,
      });
      const key = RESOURCE_SCOPED_ENDPOINTS.has(name) ? 'aws:ResourceAccount' : 'aws:PrincipalAccount';
      endpoint.addToPolicy(
        new iam.PolicyStatement({
          sid: 'OnlyThisAccount',
          principals: [new iam.AnyPrincipal()],
          actions: ['*'],
          resources: ['*'],
          conditions: { StringEquals: { [key]: account } },
        }),
      );
    }
    // The S3 gateway endpoint reaches this account's buckets only (no copy to a bucket elsewhere),
    // plus the AWS-owned bucket ECR serves image layers from, which the data plane's tasks pull.
    const s3Endpoint = this.vpc.node.findChild('S3') as ec2.GatewayVpcEndpoint;
    s3Endpoint.addToPolicy(
      new iam.PolicyStatement({
        sid: 'OnlyThisAccountsBuckets',
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:ResourceAccount': account } },
      }),
    );
    s3Endpoint.addToPolicy(
      new iam.PolicyStatement({
        sid: 'EcrImageLayers',
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject'],
        resources: [
          `arn:${Stack.of(this).partition}:s3:::prod-${Stack.of(this).region}-starport-layer-bucket/*`,
        ],
      }),
    );
  }

  /**
   * CDK's provider that closes the default security group is a stack-level Lambda function whose
   * log group Lambda would create implicitly, unencrypted and kept forever. Point it at an explicit
   * log group instead.
   */
  private encryptProviderLogs(props: LakeNetworkProps): void {
    const stack = Stack.of(this);
    const handler = stack.node
      .tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider')
      ?.node.tryFindChild('Handler');
    if (!(handler instanceof CfnResource)) {
      throw new Error(`LakeNetwork ${this.node.path}: CDK's default-security-group provider was not found`);
    }
    const logGroupName = `/aws/lambda/${stack.stackName}-restrict-default-sg`;
    const key = secureKey(this, 'LogsKey', {
      alias: props.logsKeyAlias ?? `alias/${stack.stackName}-network-logs`,
      description: 'Log group of the provider that closes the default security group',
    });
    // Only CloudWatch Logs (an AWS service, exempt) encrypts and decrypts with it; of the account's
    // principals, only the deployment role that creates the log group may use it.
    denyUseExceptAllowList(key, {
      sid: 'DenyUseOutsideNetworkLogsAllowList',
      allowed: () => [KeyAdministration.of(this).deploymentRoleArn],
    });
    key.grant(
      new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`).withConditions({
        ArnEquals: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: logGroupName,
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
    const group = new logs.LogGroup(this, 'DefaultSgProviderLogs', {
      logGroupName,
      encryptionKey: key,
      retention: props.providerLogRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    handler.addPropertyOverride('LoggingConfig', { LogGroup: group.logGroupName });
  }

  /** A security group for a data service: no outbound traffic until a flow is declared. */
  newSecurityGroup(id: string, description: string): SecurityGroup {
    return new SecurityGroup(this, id, { vpc: this.vpc, description, allowAllOutbound: false });
  }

  /** Lets `consumer` call AWS APIs through the interface endpoints (HTTPS). */
  allowEndpointAccess(consumer: ISecurityGroup, description: string): void {
    SgIngress.allow(consumer, this.endpointSecurityGroup, Port.tcp(443), description);
  }
}
