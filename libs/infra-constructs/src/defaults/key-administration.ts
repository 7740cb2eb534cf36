import { DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, type IConstruct } from 'constructs';
import { KEY_ADMIN_ACTIONS, KEY_READ_ACTIONS } from './key-actions';

export interface KeyAdministrationProps {
  /** The one role that administers keys (model: the principal with administersKeys). */
  readonly administrator: iam.IRole;
  /**
   * The role CloudFormation deploys with: it creates keys and applies reviewed policy changes, so it
   * must keep PutKeyPolicy (KMS also refuses a policy that would lock out its own caller).
   * @default the CDK bootstrap's CloudFormation execution role of the stack's account and region
   */
  readonly deploymentRoleArn?: string;
}

const ID = 'KeyAdministration';

/**
 * Separates key administration from key use, for every customer-managed key of a stack. Keys made
 * with `secureKey` register here; each gets an Allow for the administrator (administration and
 * metadata only, never cryptographic use) and a Deny of administration (policy changes, deletion,
 * disabling, rotation changes) to every other principal but the deployment role. The account root
 * statement CDK writes stays, so IAM can still grant *use*, which each key's allow-list bounds.
 *
 * One per stack; synthesis fails if any KMS key of the stack was not protected.
 */
export class KeyAdministration extends Construct {
  readonly administrator: iam.IRole;
  readonly deploymentRoleArn: string;
  private readonly protectedKeys = new Set<kms.Key>();

  /** The stack's key administration; throws (naming the caller) when the stack has none. */
  static of(scope: IConstruct): KeyAdministration {
    const found = Stack.of(scope).node.tryFindChild(ID);
    if (!(found instanceof KeyAdministration)) {
      throw new Error(
        `${scope.node.path}: a customer-managed key needs the stack's KeyAdministration (create it first with new KeyAdministration(stack, ...))`,
      );
    }
    return found;
  }

  constructor(scope: Stack, props: KeyAdministrationProps) {
    super(scope, ID);
    this.administrator = props.administrator;
    this.deploymentRoleArn =
      props.deploymentRoleArn ??
      scope.formatArn({
        service: 'iam',
        region: '',
        resource: 'role',
        resourceName: `cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-cfn-exec-role-${scope.account}-${scope.region}`,
      });
    this.node.addValidation({
      validate: () =>
        scope.node
          .findAll()
          .filter((c): c is kms.Key => c instanceof kms.Key && !this.protectedKeys.has(c))
          .map(
            (k) =>
              `KeyAdministration: key ${k.node.path} was not made with secureKey; its administration is not separated`,
          ),
    });
  }

  /** Writes the administration statements into a key's policy. */
  protect(key: kms.Key): void {
    this.protectedKeys.add(key);
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowKeyAdministratorToAdministerOnly',
        principals: [new iam.ArnPrincipal(this.administrator.roleArn)],
        actions: [...KEY_ADMIN_ACTIONS, ...KEY_READ_ACTIONS],
        resources: ['*'],
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyKeyAdministrationToOthers',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...KEY_ADMIN_ACTIONS],
        resources: ['*'],
        conditions: {
          ArnNotEquals: { 'aws:PrincipalArn': [this.administrator.roleArn, this.deploymentRoleArn] },
        },
      }),
    );
  }
}
