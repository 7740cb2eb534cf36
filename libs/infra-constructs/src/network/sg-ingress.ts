import { Stack } from 'aws-cdk-lib';
import type { ISecurityGroup, Port } from 'aws-cdk-lib/aws-ec2';

/**
 * Declares "from may reach to on port" once and writes both sides of the rule: ingress on `to`,
 * egress on `from`. Every security group in the platform is created with allowAllOutbound false, so
 * a flow that is not declared here does not exist. Only security groups can be named: there is no
 * way to open a data service to a CIDR (let alone 0.0.0.0/0) through this helper.
 */
export class SgIngress {
  static allow(from: ISecurityGroup, to: ISecurityGroup, port: Port, description: string): void {
    if (from === to) {
      throw new Error(
        `SgIngress.allow(${from.node.path}): a security group reaching itself is not a declared flow; name two groups`,
      );
    }
    if (description.trim() === '') {
      throw new Error(`SgIngress.allow(${from.node.path} -> ${to.node.path}): description is required`);
    }
    // A flow between stacks is written in the stack of `from` (the consumer, which deploys after the
    // stack it reaches), so the provider's stack never refers to its consumers.
    const crossStack = Stack.of(from) !== Stack.of(to);
    to.addIngressRule(from, port, `from ${description}`, crossStack);
    from.addEgressRule(to, port, `to ${description}`);
  }
}
