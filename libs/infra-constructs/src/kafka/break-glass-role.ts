import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeNag } from '../nag/acknowledge';
import type { MskCluster } from './msk-cluster';

export interface KafkaBreakGlassRoleProps {
  readonly cluster: MskCluster;
  /** The one role that may assume it: the ACL manager's (the topic bootstrapper's task role). */
  readonly assumableBy: iam.IRole;
  /** Fixed, so CloudTrail searches and the runbook can name it. */
  readonly roleName: string;
  /**
   * How long one assumption lasts.
   * @default Duration.hours(1), the shortest STS allows for a role's maximum
   */
  readonly maxSessionDuration?: Duration;
}

/**
 * MSK has no SCRAM super user, and with `allow.everyone.if.no.acl.found=false` a new cluster's
 * SCRAM users can do nothing, the ACL manager included. IAM-authenticated clients are authorized by
 * IAM policy instead of ACLs, so this role (over MSK IAM auth) is the break glass that creates the
 * ACL manager's own ACLs on the first run: it may connect, describe the cluster and its ACLs, and
 * create ACLs (kafka-cluster:AlterCluster); no topic, group or data action. Only the ACL manager may
 * assume it, which gives that manager nothing its own ACLs do not already give it, and every
 * assumption is a CloudTrail event.
 */
export class KafkaBreakGlassRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: KafkaBreakGlassRoleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: `Kafka break glass: creates the ACL manager's own ACLs on a cluster that has none (MSK IAM auth)`,
      assumedBy: new iam.ArnPrincipal(props.assumableBy.roleArn),
      maxSessionDuration: props.maxSessionDuration ?? Duration.hours(1),
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'CreateAclsOnThisClusterOnly',
        actions: ['kafka-cluster:Connect', 'kafka-cluster:DescribeCluster', 'kafka-cluster:AlterCluster'],
        resources: [props.cluster.clusterArn],
      }),
    );
    acknowledgeNag(
      this.role.node.findChild('DefaultPolicy'),
      'NIST.800.53.R5-IAMNoInlinePolicy',
      "The break glass's one statement (connect to, describe and create ACLs on this cluster), attached to this role only.",
    );
    props.assumableBy.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeKafkaBreakGlass',
        actions: ['sts:AssumeRole'],
        resources: [this.role.roleArn],
      }),
    );
  }
}
