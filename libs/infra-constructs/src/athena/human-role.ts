import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface HumanRoleProps {
  /** Model principal name, used in the role description. */
  readonly principal: string;
  readonly description: string;
  /** Require MFA to assume the role and to use it (model: lake.query.mfa). */
  readonly mfa: boolean;
  /**
   * Longest session.
   * @default Duration.hours(1)
   */
  readonly maxSessionHours?: number;
}

/**
 * A role assumed by people of the account (federated or IAM users), never by a service. With `mfa`
 * the trust policy admits only MFA-authenticated sessions, and a Deny statement refuses every action
 * to a session that lacks MFA: the trust condition alone would not cover sessions obtained by
 * chaining from another role, where the MFA flag is absent.
 */
export class HumanRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: HumanRoleProps) {
    super(scope, id);
    const hours = props.maxSessionHours ?? 1;
    if (hours < 1 || hours > 12)
      throw new Error(`HumanRole ${this.node.path}: maxSessionHours must be 1 to 12, got ${hours}`);
    const trust = props.mfa
      ? new iam.AccountRootPrincipal().withConditions({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } })
      : new iam.AccountRootPrincipal();
    this.role = new iam.Role(this, 'Role', {
      assumedBy: trust,
      description: `${props.principal}: ${props.description}`,
      maxSessionDuration: Duration.hours(hours),
    });
    if (props.mfa) {
      // The one hand-written statement: a Deny. BoolIfExists also matches sessions where the MFA key
      // is missing entirely (role chaining, long-term keys), so only MFA sessions can act. It lives in
      // its own managed policy so no Allow statement ever shares a document with its "*".
      this.role.addManagedPolicy(
        new iam.ManagedPolicy(this, 'RequireMfa', {
          description: `${props.principal}: deny every action to sessions without MFA`,
          statements: [
            new iam.PolicyStatement({
              sid: 'DenyAllWithoutMfa',
              effect: iam.Effect.DENY,
              actions: ['*'],
              resources: ['*'],
              conditions: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
            }),
          ],
        }),
      );
    }
  }
}
