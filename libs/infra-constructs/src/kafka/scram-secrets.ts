import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as msk from 'aws-cdk-lib/aws-msk';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { KeyAdministration } from '../defaults/key-administration';
import { denySecretPolicyChanges } from '../defaults/secret-policy';
import { denyUseExceptAllowList, secureKey } from '../defaults/secure-key';
import { acknowledgeNag } from '../nag/acknowledge';

/** MSK associates only secrets whose name starts with this prefix. */
const MSK_SECRET_PREFIX = 'AmazonMSK_';

export interface ScramSecretSpecProps {
  /** The Kafka principal (SCRAM username). */
  readonly principal: string;
  /** The secret's name; must start with "AmazonMSK_". */
  readonly secretName: string;
}

export interface ScramSecretsProps {
  /** The cluster the secrets are associated with (CfnCluster.attrArn). */
  readonly clusterArn: string;
  /** One secret per Kafka principal (the model's deriveScramSecrets). */
  readonly secrets: readonly ScramSecretSpecProps[];
  /** Alias of the key that encrypts the secrets, e.g. "alias/lakewall-dev-kafka-scram". */
  readonly keyAlias: string;
  /**
   * Names of the roles that may read a secret (grantRead refuses any other), e.g. ECS task roles of
   * a later stack: the key's allow-list names them before they exist, so this stack never refers
   * to that later stack.
   * @default none
   */
  readonly readerRoleNames?: readonly string[];
  /**
   * What happens to the key and secrets when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The role MSK acts as in an account (it reads associated SCRAM secrets and encrypts broker storage). */
export function mskServiceLinkedRoleArn(stack: Stack): string {
  return stack.formatArn({
    service: 'iam',
    region: '',
    resource: 'role',
    resourceName: 'aws-service-role/kafka.amazonaws.com/AWSServiceRoleForKafka',
  });
}

/**
 * The SCRAM credentials of every Kafka principal: one generated secret each, encrypted with a
 * customer-managed key (MSK refuses secrets under the AWS-managed key), associated with the cluster.
 * Reading a secret is granted per principal with grantRead, so a service gets its own password and
 * no other.
 */

export class ScramSecrets extends Construct {
  readonly key: kms.Key;
  private readonly byPrincipal = new Map<string, secretsmanager.Secret>();
  private readonly readerRoleNames: ReadonlySet<string>;

  constructor(scope: Construct, id: string, props: ScramSecretsProps) {
    super(scope, id);
    if (props.secrets.length === 0) {
      throw new Error(`ScramSecrets ${this.node.path}: no Kafka principals; MSK needs at least one secret`);
    }
    for (const spec of props.secrets) {
      if (!spec.secretName.startsWith(MSK_SECRET_PREFIX)) {
        throw new Error(
          `ScramSecrets ${this.node.path}: secret '${spec.secretName}' of ${spec.principal} must start with ${MSK_SECRET_PREFIX} or MSK cannot associate it`,
        );
      }
      if (this.byPrincipal.has(spec.principal)) {
        throw new Error(`ScramSecrets ${this.node.path}: principal ${spec.principal} appears twice`);
      }
      this.byPrincipal.set(spec.principal, undefined as never);
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.key = secureKey(this, 'Key', {
      description: 'Encrypts the Kafka SCRAM credentials',
      alias: props.keyAlias,
      removalPolicy,
    });
    // The zone keys' treatment: only the listed readers, the deployment role (which creates the
    // secrets and associates them, granting MSK) and MSK's service-linked role may use the key,
    // whatever IAM grants anyone else.
    const stack = Stack.of(this);
    this.readerRoleNames = new Set(props.readerRoleNames ?? []);
    denyUseExceptAllowList(this.key, {
      sid: 'DenyUseOutsideScramAllowList',
      allowed: () => [
        KeyAdministration.of(this).deploymentRoleArn,
        mskServiceLinkedRoleArn(stack),
        ...[...this.readerRoleNames].map((name) =>
          stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: name }),
        ),
      ],
    });

    for (const spec of props.secrets) {
      const secret = new secretsmanager.Secret(this, `Secret-${spec.principal}`, {
        secretName: spec.secretName,
        description: `Kafka SCRAM credentials of ${spec.principal}`,
        encryptionKey: this.key,
        removalPolicy,
        generateSecretString: {
          secretStringTemplate: JSON.stringify({ username: spec.principal }),
          generateStringKey: 'password',
          passwordLength: 40,
          // SCRAM credentials end up in JAAS strings: no quotes or backslashes to escape.
          excludeCharacters: '"\'\\`$;{}',
        },
      });
      acknowledgeNag(
        secret.node.defaultChild!,
        'AwsSolutions-SMG4',
        'MSK reads SCRAM secrets when they are associated; a new password is set by updating the secret and restarting its one client, a planned operation rather than a scheduled rotation.',
      );
      acknowledgeNag(
        secret.node.defaultChild!,
        'NIST.800.53.R5-SecretsManagerRotationEnabled',
        'MSK reads SCRAM secrets when they are associated; a new password is set by updating the secret and restarting its one client, a planned operation rather than a scheduled rotation.',
      );
      denySecretPolicyChanges(secret, KeyAdministration.of(this).deploymentRoleArn);
      this.byPrincipal.set(spec.principal, secret);
    }

    new msk.CfnBatchScramSecret(this, 'Association', {
      clusterArn: props.clusterArn,
      secretArnList: [...this.byPrincipal.values()].map((s) => s.secretArn),
    });
  }

  /** The principals that have a secret. */
  get principals(): string[] {
    return [...this.byPrincipal.keys()];
  }

  /** The secret of one principal; fails closed on a principal the model does not know. */
  secretOf(principal: string): secretsmanager.ISecret {
    const secret = this.byPrincipal.get(principal);
    if (!secret) {
      throw new Error(
        `ScramSecrets ${this.node.path}: no SCRAM secret for '${principal}' (known: ${this.principals.join(', ')})`,
      );
    }
    return secret;
  }

  /**
   * Lets `grantee` read one principal's credentials (the secret, and the key through Secrets Manager
   * only). Written in the grantee's policy alone, never in the key policy, so a service in another
   * stack can be granted without the key's stack referring to it (the key policy admits IAM).
   */
  grantRead(principal: string, grantee: iam.IGrantable): iam.Grant {
    const secret = this.secretOf(principal);
    // Fail at synthesis, not with an AccessDenied at run time: the key admits listed readers only.
    const role = grantee.grantPrincipal;
    const roleName = role instanceof iam.Role ? (role.node.defaultChild as iam.CfnRole).roleName : undefined;
    if (!roleName || !this.readerRoleNames.has(roleName)) {
      throw new Error(
        `ScramSecrets ${this.node.path}: ${role} (role name ${roleName ?? 'generated'}) is not on the SCRAM key's allow-list (readerRoleNames: ${[...this.readerRoleNames].join(', ') || 'none'})`,
      );
    }
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resourceArns: [secret.secretArn],
    });
    return grant.combine(
      iam.Grant.addToPrincipal({
        grantee,
        actions: ['kms:Decrypt'],
        resourceArns: [this.key.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` },
        },
      }),
    );
  }
}
