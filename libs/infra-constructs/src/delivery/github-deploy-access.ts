import { DefaultStackSynthesizer, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** GitHub Actions' OIDC issuer. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The audience aws-actions/configure-aws-credentials asks GitHub for. */
export const STS_AUDIENCE = 'sts.amazonaws.com';

/** The CDK bootstrap roles, by what a workflow does with them. */
const BOOTSTRAP_ROLES = {
  /** Deploy: change sets (deploy), asset uploads (file and image publishing), context lookups. */
  deploy: ['deploy', 'file-publishing', 'image-publishing', 'lookup'],
  /** Read only: `cdk diff` reads deployed templates and `cdk drift` asks for drift with the lookup role. */
  readOnly: ['lookup'],
} as const;

export interface GitHubWorkflowRoleSpec {
  /** The role's name, e.g. "lakewall-dev-github-deploy" (fixed, so a workflow variable can name it). */
  readonly roleName: string;
  /** The GitHub environment whose jobs may assume the role, e.g. "dev" or "dev-drift". */
  readonly githubEnvironment: string;
  /** Which CDK bootstrap roles it may assume: all four to deploy, the lookup role to read. */
  readonly access: keyof typeof BOOTSTRAP_ROLES;
}

export interface GitHubDeployAccessProps {
  /** "<owner>/<name>" of the repository whose workflows may assume the roles. */
  readonly repository: string;
  /** One role per GitHub environment. */
  readonly roles: readonly GitHubWorkflowRoleSpec[];
  /**
   * The CDK bootstrap qualifier of the account.
   * @default DefaultStackSynthesizer.DEFAULT_QUALIFIER
   */
  readonly cdkQualifier?: string;
  /**
   * How long one workflow's credentials last.
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;
}

/**
 * GitHub Actions' way into one AWS account: the account's OIDC provider for GitHub, and one role per
 * GitHub environment that only a job of this repository running in that environment can assume
 * (exact `sub` and `aud`, no wildcard). A role may do one thing: assume the CDK bootstrap roles of
 * its account and region (which deploy through CloudFormation's execution role); nothing else.
 */
export class GitHubDeployAccess extends Construct {
  readonly provider: iam.OidcProviderNative;
  private readonly byEnvironment = new Map<string, iam.Role>();

  constructor(scope: Construct, id: string, props: GitHubDeployAccessProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(props.repository)) {
      throw new Error(
        `GitHubDeployAccess ${this.node.path}: repository '${props.repository}' is not <owner>/<name>`,
      );
    }
    if (props.roles.length === 0) {
      throw new Error(`GitHubDeployAccess ${this.node.path}: name at least one role`);
    }
    const stack = Stack.of(this);
    const qualifier = props.cdkQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    this.provider = new iam.OidcProviderNative(this, 'Provider', {
      url: `https://${GITHUB_OIDC_HOST}`,
      clientIds: [STS_AUDIENCE],
    });

    for (const spec of props.roles) {
      if (!/^[A-Za-z0-9_.-]+$/.test(spec.githubEnvironment)) {
        // A wildcard or a separator in the name would widen the subject the trust matches.
        throw new Error(
          `GitHubDeployAccess ${this.node.path}: GitHub environment '${spec.githubEnvironment}' must be a plain name`,
        );
      }
      if (this.byEnvironment.has(spec.githubEnvironment)) {
        throw new Error(
          `GitHubDeployAccess ${this.node.path}: environment ${spec.githubEnvironment} appears twice`,
        );
      }
      const role = new iam.Role(this, `Role-${spec.githubEnvironment}`, {
        roleName: spec.roleName,
        description: `GitHub Actions of ${props.repository}, environment ${spec.githubEnvironment}: assumes the CDK bootstrap roles (${spec.access})`,
        maxSessionDuration: props.maxSessionDuration ?? Duration.hours(1),
        assumedBy: new iam.WebIdentityPrincipal(this.provider.oidcProviderArn, {
          StringEquals: {
            [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE,
            [`${GITHUB_OIDC_HOST}:sub`]: `repo:${props.repository}:environment:${spec.githubEnvironment}`,
          },
        }),
      });
      // A managed policy of our own (not inline), attached to this role only.
      new iam.ManagedPolicy(this, `Policy-${spec.githubEnvironment}`, {
        description: `Assume the CDK bootstrap roles (${spec.access}) of ${stack.account} in ${stack.region}, nothing else`,
        roles: [role],
        statements: [
          new iam.PolicyStatement({
            actions: ['sts:AssumeRole'],
            resources: BOOTSTRAP_ROLES[spec.access].map((kind) =>
              stack.formatArn({
                service: 'iam',
                region: '',
                resource: 'role',
                resourceName: `cdk-${qualifier}-${kind}-role-${stack.account}-${stack.region}`,
              }),
            ),
          }),
        ],
      });
      this.byEnvironment.set(spec.githubEnvironment, role);
    }
  }

  /** The role of one GitHub environment; fails closed on an environment it was not given. */
  roleFor(githubEnvironment: string): iam.Role {
    const role = this.byEnvironment.get(githubEnvironment);
    if (!role) {
      throw new Error(
        `GitHubDeployAccess ${this.node.path}: no role for GitHub environment '${githubEnvironment}'`,
      );
    }
    return role;
  }
}
