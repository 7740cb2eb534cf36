import { Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildAll, CLOUD_ENVIRONMENTS } from './fixtures';
import { githubEnvironments, githubRoleNames } from '../src/stacks/deploy-access-stack';

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const root = join(__dirname, '../../..');
const workflow = (name: string) => parse(readFileSync(join(root, '.github/workflows', name), 'utf8'));

describe.each(CLOUD_ENVIRONMENTS)('deploy access in %s', (env) => {
  const { model, stages } = buildAll();
  const stage = stages.get(env)!;
  const template = Template.fromStack(stage.deployAccess);
  const roles = Object.values(template.findResources('AWS::IAM::Role')) as { Properties: Props }[];
  const { account, region } = model.environments[env];
  const names = githubRoleNames(model, env);
  const subjects = (p: Props) =>
    p.AssumeRolePolicyDocument.Statement.map(
      (s: Props) => s.Condition.StringEquals['token.actions.githubusercontent.com:sub'],
    );

  it("trusts the model's repository in this environment's GitHub environments only", () => {
    const repo = model.delivery!.github.repository;
    const gh = githubEnvironments(env);
    expect(Object.fromEntries(roles.map((r) => [r.Properties.RoleName, subjects(r.Properties)]))).toEqual({
      [names.deploy]: [`repo:${repo}:environment:${gh.deploy}`],
      [names.drift]: [`repo:${repo}:environment:${gh.drift}`],
    });
    for (const r of roles) {
      const [statement] = r.Properties.AssumeRolePolicyDocument.Statement;
      expect(Object.keys(statement.Condition)).toEqual(['StringEquals']);
      expect(statement.Condition.StringEquals['token.actions.githubusercontent.com:aud']).toBe(
        'sts.amazonaws.com',
      );
    }
    // No other environment's name appears in this account's trust.
    for (const other of CLOUD_ENVIRONMENTS.filter((e) => e !== env)) {
      expect(JSON.stringify(roles)).not.toContain(`:environment:${other}`);
    }
  });

  it("grants nothing but assuming this account's CDK bootstrap roles", () => {
    const statements = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement,
    );
    for (const s of statements) {
      expect(s.Action).toBe('sts:AssumeRole');
      for (const arn of [s.Resource].flat()) {
        expect(arn).toMatch(
          new RegExp(`^arn:aws:iam::${account}:role/cdk-hnb659fds-[a-z-]+-role-${account}-${region}$`),
        );
      }
    }
    expect(template.findResources('AWS::IAM::Policy')).toEqual({});
  });

  it('matches the GitHub environments the deploy and drift workflows run in', () => {
    const deploy = workflow('deploy.yml');
    expect((Object.values(deploy.jobs) as Props[]).map((j) => j.with.environment)).toContain(
      githubEnvironments(env).deploy,
    );
    expect(workflow('deploy-environment.yml').jobs.deploy.environment).toBe('${{ inputs.environment }}');
    const drift = Object.values(workflow('drift.yml').jobs)[0] as Props;
    expect(drift.strategy.matrix.environment).toContain(env);
    expect(drift.environment.replace('${{ matrix.environment }}', env)).toBe(githubEnvironments(env).drift);
  });

  it('is not deployed by CI: the deploy target names the infra and data-plane stacks only', () => {
    const project = JSON.parse(readFileSync(join(root, 'apps/infra/project.json'), 'utf8'));
    const command: string = project.targets.deploy.options.command;
    expect(command).toContain('"$LAKEWALL_ENV/Infra" "$LAKEWALL_ENV/DataPlane"');
    expect(command).not.toMatch(/DeployAccess|\$LAKEWALL_ENV\/\*/);
    expect(stage.deployAccess.stackName).toBe(`lakewall-${env}-deploy-access`);
  });
});
