import { Template } from 'aws-cdk-lib/assertions';
import { GitHubDeployAccess, type GitHubDeployAccessProps } from '../src/delivery/github-deploy-access';
import { bareStack } from './helpers';

const ROLES: GitHubDeployAccessProps['roles'] = [
  { roleName: 'x-qa-deploy', githubEnvironment: 'qa', access: 'deploy' },
  { roleName: 'x-qa-drift', githubEnvironment: 'qa-drift', access: 'readOnly' },
];

function build(props: Partial<GitHubDeployAccessProps> = {}) {
  const stack = bareStack();
  const access = new GitHubDeployAccess(stack, 'GitHub', { repository: 'acme/lake', roles: ROLES, ...props });
  return { stack, access, template: Template.fromStack(stack) };
}

describe('GitHubDeployAccess', () => {
  it('trusts exactly one repository and one GitHub environment per role, for STS only', () => {
    const { template, access, stack } = build();
    const trust = stack.resolve(access.roleFor('qa').assumeRolePolicy!.toJSON()).Statement;
    expect(trust).toEqual([
      {
        Action: 'sts:AssumeRoleWithWebIdentity',
        Effect: 'Allow',
        Principal: { Federated: { Ref: expect.stringMatching(/^GitHubProvider/) } },
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': 'repo:acme/lake:environment:qa',
          },
        },
      },
    ]);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  it('lets the deploy role assume the four CDK bootstrap roles and the drift role the lookup role only', () => {
    const { template } = build();
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).map(
      (p) => p.Properties.PolicyDocument.Statement,
    );
    const arn = (kind: string) =>
      `arn:aws:iam::123456789012:role/cdk-hnb659fds-${kind}-role-123456789012-eu-west-1`;
    expect(policies).toEqual([
      [
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Resource: ['deploy', 'file-publishing', 'image-publishing', 'lookup'].map(arn),
        },
      ],
      [{ Action: 'sts:AssumeRole', Effect: 'Allow', Resource: arn('lookup') }],
    ]);
    expect(template.findResources('AWS::IAM::Policy')).toEqual({});
  });

  it('refuses a GitHub environment that would widen the subject, and a malformed repository', () => {
    expect(() => build({ roles: [{ roleName: 'r', githubEnvironment: '*', access: 'deploy' }] })).toThrow(
      /must be a plain name/,
    );
    expect(() =>
      build({ roles: [{ roleName: 'r', githubEnvironment: 'qa:ref:refs/heads/x', access: 'deploy' }] }),
    ).toThrow(/must be a plain name/);
    expect(() => build({ repository: 'acme/*' })).toThrow(/not <owner>\/<name>/);
    expect(() => build({ roles: [] })).toThrow(/at least one role/);
  });

  it('fails closed on an environment it has no role for', () => {
    expect(() => build().access.roleFor('prod')).toThrow(/no role for GitHub environment 'prod'/);
  });
});
