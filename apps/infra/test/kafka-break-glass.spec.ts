import { Template } from 'aws-cdk-lib/assertions';
import { buildAll, CLOUD_ENVIRONMENTS, logicalId, policiesOfRole } from './fixtures';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Sid?: string };
const actionsOf = (s: Statement) => [s.Action].flat();
const statementsOf = (policies: unknown[]) =>
  policies.flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
        .Statement,
  );

describe.each(CLOUD_ENVIRONMENTS)("the bootstrapper's Kafka break glass in %s", (env) => {
  const { stages } = buildAll();
  const stage = stages.get(env)!;
  const dataPlane = Template.fromStack(stage.dataPlane);
  const resources = dataPlane.toJSON().Resources;
  const glassId = logicalId(stage.dataPlane.kafkaBreakGlass.role);
  const bootstrapperRoleId = logicalId(stage.dataPlane.services.bootstrapper.taskDefinition.taskRole);
  const clusterArn = stage.dataPlane.resolve(stage.infra.kafka.clusterArn);

  it('may be assumed by the bootstrapper task role and nobody else', () => {
    const trust = resources[glassId].Properties.AssumeRolePolicyDocument.Statement as {
      Principal: { AWS: unknown };
      Action: string;
    }[];
    expect(trust).toHaveLength(1);
    expect(trust[0]!.Action).toBe('sts:AssumeRole');
    expect(trust[0]!.Principal.AWS).toEqual({ 'Fn::GetAtt': [bootstrapperRoleId, 'Arn'] });
    expect(resources[glassId].Properties.MaxSessionDuration).toBe(3600);
  });

  it('can connect to, describe and create ACLs on its own cluster, and touch no topic, group or data', () => {
    const statements = statementsOf(policiesOfRole(dataPlane, glassId));
    expect(statements).toHaveLength(1);
    expect(actionsOf(statements[0]!).sort()).toEqual([
      'kafka-cluster:AlterCluster',
      'kafka-cluster:Connect',
      'kafka-cluster:DescribeCluster',
    ]);
    expect(JSON.stringify(statements[0]!.Resource)).toBe(JSON.stringify(clusterArn));
  });

  it('is the only role the bootstrapper may assume', () => {
    const assume = statementsOf(policiesOfRole(dataPlane, bootstrapperRoleId)).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('sts:')),
    );
    expect(assume).toHaveLength(1);
    expect(assume[0]!.Resource).toEqual({ 'Fn::GetAtt': [glassId, 'Arn'] });
  });

  it("is used by the bootstrapper's task only when needed, on the IAM listener", () => {
    const task = resources[logicalId(stage.dataPlane.services.bootstrapper.taskDefinition)];
    const environment = Object.fromEntries(
      (task.Properties.ContainerDefinitions[0].Environment as { Name: string; Value: unknown }[]).map((e) => [
        e.Name,
        e.Value,
      ]),
    );
    expect(environment.LAKEWALL_BREAK_GLASS_WHEN_NEEDED).toBe('true');
    expect(environment.LAKEWALL_BREAK_GLASS_IAM_ROLE_ARN).toEqual({ 'Fn::GetAtt': [glassId, 'Arn'] });
    expect(JSON.stringify(environment.LAKEWALL_BREAK_GLASS_BROKERS)).toContain(
      'BootstrapBrokerStringSaslIam',
    );
    // Never a SCRAM break-glass password or secret in the task's settings.
    expect(Object.keys(environment).filter((k) => /BREAK_GLASS_(PASSWORD|USERNAME|SECRET)/.test(k))).toEqual(
      [],
    );
  });
});
