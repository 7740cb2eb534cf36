import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import type { LakeInfraStack } from './lake-infra-stack';

/**
 * A task's or service's own security group in the data-plane stack: no outbound rule but the flows
 * its caller declares, plus HTTPS to the AWS interface endpoints (logs, Secrets Manager, ECR), which
 * every ECS task needs. `who` names it in the rules' descriptions.
 */
export function taskSecurityGroup(
  scope: Construct,
  id: string,
  infra: LakeInfraStack,
  description: string,
  who: string,
): ec2.SecurityGroup {
  const group = new ec2.SecurityGroup(scope, id, {
    vpc: infra.network.vpc,
    description,
    allowAllOutbound: false,
  });
  infra.network.allowEndpointAccess(group, who);
  return group;
}
