import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeNag } from '../nag/acknowledge';
import type { LakeNetwork } from '../network/lake-network';
import { SgIngress } from '../network/sg-ingress';

export interface KafkaBootstrapEndpointProps {
  readonly network: LakeNetwork;
  /** The brokers' security group: the load balancer is allowed to reach it on `ports`. */
  readonly brokerSecurityGroup: ec2.ISecurityGroup;
  /** The brokers' client-VPC addresses (MskBrokerInfo.brokerIps). */
  readonly brokerIps: readonly string[];
  /** Listener ports passed through to the brokers, e.g. { scram: 9096, iam: 9098 }. */
  readonly ports: Readonly<Record<string, number>>;
  /** The private hosted zone, e.g. "lakewall-dev.internal". */
  readonly zoneName: string;
  /**
   * The record in the zone that names the endpoint.
   * @default 'kafka'
   */
  readonly recordName?: string;
  /** Where the load balancer writes its access logs (an SSE-S3 log bucket). */
  readonly accessLogsBucket: IBucket;
  /**
   * Refuse deletion of the load balancer.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/**
 * A stable bootstrap address for the cluster: an internal network load balancer passing TCP through
 * to every broker (TLS stays end to end between client and broker) behind a Route53 private record.
 * A replaced broker or cluster changes the targets, not the name clients are configured with.
 */
export class KafkaBootstrapEndpoint extends Construct {
  readonly loadBalancer: elbv2.NetworkLoadBalancer;
  readonly securityGroup: ec2.SecurityGroup;
  readonly zone: route53.PrivateHostedZone;
  /** The record's fully qualified name, e.g. "kafka.lakewall-dev.internal". */
  readonly hostname: string;
  private readonly ports: Readonly<Record<string, number>>;

  constructor(scope: Construct, id: string, props: KafkaBootstrapEndpointProps) {
    super(scope, id);
    if (props.brokerIps.length === 0) {
      throw new Error(`KafkaBootstrapEndpoint ${this.node.path}: brokerIps is empty`);
    }
    if (Object.keys(props.ports).length === 0) {
      throw new Error(`KafkaBootstrapEndpoint ${this.node.path}: name at least one listener port`);
    }
    const vpc = props.network.vpc;
    this.ports = { ...props.ports };
    this.securityGroup = props.network.newSecurityGroup(
      'KafkaBootstrapSecurityGroup',
      'Kafka bootstrap load balancer: from declared clients to the brokers only',
    );
    this.loadBalancer = new elbv2.NetworkLoadBalancer(this, 'LoadBalancer', {
      vpc,
      internetFacing: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [this.securityGroup],
      crossZoneEnabled: true,
      deletionProtection: props.deletionProtection ?? true,
    });
    if (!(props.deletionProtection ?? true)) {
      acknowledgeNag(
        this.loadBalancer.node.defaultChild!,
        'NIST.800.53.R5-ELBDeletionProtectionEnabled',
        'The platform model turns deletion protection off for this environment (environments.<env>.deletionProtection: false); the load balancer holds no data.',
      );
    }
    this.loadBalancer.logAccessLogs(props.accessLogsBucket, 'kafka-bootstrap-nlb');

    for (const [name, port] of Object.entries(props.ports)) {
      SgIngress.allow(
        this.securityGroup,
        props.brokerSecurityGroup,
        ec2.Port.tcp(port),
        `Kafka bootstrap ${name}`,
      );
      const listener = this.loadBalancer.addListener(`Listener-${name}`, {
        port,
        protocol: elbv2.Protocol.TCP,
      });
      acknowledgeNag(
        listener.node.defaultChild!,
        'NIST.800.53.R5-ELBv2ACMCertificateRequired',
        'TCP passthrough on purpose: the brokers terminate TLS themselves, so traffic stays encrypted from client to broker and the load balancer never sees it in clear.',
      );
      listener.addTargets(`Brokers-${name}`, {
        port,
        protocol: elbv2.Protocol.TCP,
        targets: props.brokerIps.map((ip) => new targets.IpTarget(ip, port)),
        healthCheck: { protocol: elbv2.Protocol.TCP, interval: Duration.seconds(30) },
      });
    }

    this.zone = new route53.PrivateHostedZone(this, 'Zone', { zoneName: props.zoneName, vpc });
    const recordName = props.recordName ?? 'kafka';
    new route53.ARecord(this, 'Record', {
      zone: this.zone,
      recordName,
      target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(this.loadBalancer)),
    });
    // The name itself, not the record's Ref: callers compare it with the model's bootstrap host.
    this.hostname = `${recordName}.${props.zoneName}`;
  }

  /** Lets `client` reach the endpoint on every listener port. */
  allowClientsFrom(client: ec2.ISecurityGroup, description: string): void {
    for (const [name, port] of Object.entries(this.ports)) {
      SgIngress.allow(
        client,
        this.securityGroup,
        ec2.Port.tcp(port),
        `${description} (Kafka bootstrap ${name})`,
      );
    }
  }
}
