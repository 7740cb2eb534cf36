import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { acknowledgeNag } from '../nag/acknowledge';
import type { LakeNetwork } from '../network/lake-network';
import { SgIngress } from '../network/sg-ingress';
import type { FargateHttpService } from './fargate-http-service';

/** AWS managed rule groups every internal endpoint runs, in priority order. */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesAmazonIpReputationList',
] as const;

export interface InternalHttpsEndpointProps {
  readonly network: LakeNetwork;
  /** The service behind the endpoint; the load balancer reaches it on its port. */
  readonly target: FargateHttpService;
  /** Path the load balancer's health check asks for. */
  readonly healthCheckPath: string;
  /** ACM certificate of the HTTPS listener, in the stack's account and region. */
  readonly certificateArn: string;
  /** Name of the web ACL, its metrics and its log group suffix. */
  readonly name: string;
  /** Requests per client address per 5 minutes above which the web ACL blocks that address. */
  readonly rateLimitPer5Minutes: number;
  /** Where the load balancer writes its access logs (an SSE-S3 log bucket). */
  readonly accessLogsBucket: IBucket;
  readonly accessLogsPrefix: string;
  /** Key of the web ACL's log group. */
  readonly key: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /**
   * Refuse deletion of the load balancer.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/**
 * An internal application load balancer in front of one service: HTTPS only (TLS 1.2+ policy, the
 * given certificate), isolated subnets, invalid headers dropped, access logs, and an AWS WAF web ACL
 * with the managed rule groups and a per-address rate rule, logging to an encrypted group. Nothing
 * reaches it until a client security group is allowed with `allowClientsFrom`.
 */
export class InternalHttpsEndpoint extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly securityGroup: ec2.SecurityGroup;
  readonly webAcl: wafv2.CfnWebACL;
  readonly wafLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: InternalHttpsEndpointProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const certRegion = props.certificateArn.split(':')[3];
    const certAccount = props.certificateArn.split(':')[4];
    const concrete = !Token.isUnresolved(stack.region) && !Token.isUnresolved(stack.account);
    if (concrete && (certRegion !== stack.region || certAccount !== stack.account)) {
      throw new Error(
        `InternalHttpsEndpoint ${this.node.path}: certificate ${props.certificateArn} is not in ${stack.account}/${stack.region}; a load balancer uses certificates of its own account and region`,
      );
    }
    if (props.rateLimitPer5Minutes < 10) {
      throw new Error(`InternalHttpsEndpoint ${this.node.path}: WAF rate limits start at 10 requests`);
    }
    const deletionProtection = props.deletionProtection ?? true;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.network.vpc,
      description: `${props.name} load balancer: from declared clients to its service only`,
      allowAllOutbound: false,
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.network.vpc,
      internetFacing: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroup: this.securityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection,
    });
    if (!deletionProtection) {
      acknowledgeNag(
        this.loadBalancer.node.defaultChild!,
        'NIST.800.53.R5-ELBDeletionProtectionEnabled',
        'The platform model turns deletion protection off for this environment (environments.<env>.deletionProtection: false); the load balancer holds no data.',
      );
    }
    this.loadBalancer.logAccessLogs(props.accessLogsBucket, props.accessLogsPrefix);

    const listener = this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      certificates: [acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn)],
      open: false,
    });
    SgIngress.allow(
      this.securityGroup,
      props.target.securityGroup,
      ec2.Port.tcp(props.target.port),
      `${props.name} load balancer`,
    );
    listener.addTargets('Service', {
      // TLS ends at the load balancer inside the VPC; the hop to the task stays in isolated subnets,
      // between two security groups that admit only each other.
      port: props.target.port,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [props.target.service],
      healthCheck: {
        path: props.healthCheckPath,
        interval: Duration.seconds(15),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
      deregistrationDelay: Duration.seconds(30),
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: props.name,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(props.name),
      rules: [
        ...MANAGED_RULE_GROUPS.map((group, i) => ({
          name: group,
          priority: i,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: group } },
          visibilityConfig: visibility(`${props.name}-${group}`),
        })),
        {
          name: 'RatePerClientAddress',
          priority: MANAGED_RULE_GROUPS.length,
          action: { block: {} },
          statement: {
            rateBasedStatement: { limit: props.rateLimitPer5Minutes, aggregateKeyType: 'IP' },
          },
          visibilityConfig: visibility(`${props.name}-rate`),
        },
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.loadBalancer.loadBalancerArn,
      webAclArn: this.webAcl.attrArn,
    });
    // WAF delivers only to log groups whose name starts with "aws-waf-logs-".
    this.wafLogGroup = new logs.LogGroup(this, 'WafLogs', {
      logGroupName: `aws-waf-logs-${props.name}`,
      encryptionKey: props.key,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new wafv2.CfnLoggingConfiguration(this, 'WafLogging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [this.wafLogGroup.logGroupArn],
      // Bearer tokens never reach the logs.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }],
    });
  }

  /** Lets `client` reach the endpoint on HTTPS. */
  allowClientsFrom(client: ec2.ISecurityGroup, description: string): void {
    SgIngress.allow(client, this.securityGroup, ec2.Port.tcp(443), `${description} (HTTPS)`);
  }
}

function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}
