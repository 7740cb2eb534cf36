import { Template } from 'aws-cdk-lib/assertions';
import { buildAll, CLOUD_ENVIRONMENTS, logicalId, policiesOfRole } from './fixtures';

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourcesOfStatement = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

/** The one-shot tasks every deploy runs before the connectors: source setup, then topics and ACLs. */
describe.each(CLOUD_ENVIRONMENTS)('pre-deploy tasks in %s', (env) => {
  const { model, stages, templates } = buildAll();
  const stage = stages.get(env)!;
  const dataPlane = Template.fromStack(stage.dataPlane);
  const json = dataPlane.toJSON() as {
    Resources: Record<string, { Type: string; Properties: Props; DependsOn?: string[] }>;
  };
  const resources = json.Resources;
  const runs = Object.entries(resources).filter(([, r]) => r.Type === 'Custom::RunTaskOnDeploy');
  const runOf = (prefix: string) => runs.find(([id]) => id.startsWith(prefix))!;
  const [sourceSetupId, sourceSetup] = runOf('SourceSetupOnDeploy');
  const [bootstrapperId, bootstrapper] = runOf('BootstrapperOnDeploy');
  const statementsOf = (roleId: string) =>
    (
      policiesOfRole(dataPlane, roleId) as { Properties: { PolicyDocument: { Statement: Statement[] } } }[]
    ).flatMap((p) => p.Properties.PolicyDocument.Statement);
  const roleOfFunction = (fnPrefix: string) => {
    const fn = Object.entries(resources).find(
      ([id, r]) => id.startsWith(fnPrefix) && r.Type === 'AWS::Lambda::Function',
    )!;
    return (fn[1].Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  };

  it('runs exactly two tasks on deploy: the source setup and the bootstrapper, with explicit commands', () => {
    expect(runs).toHaveLength(2);
    expect(sourceSetup.Properties.Command).toEqual(['apply', '--replication', 'rds_replication']);
    expect(bootstrapper.Properties.Command).toEqual(['apply']);
    for (const [, run] of runs) {
      expect(JSON.stringify(run.Properties.Command)).not.toContain('allow-delete');
      expect(run.Properties.ContainerName).toBe('Main');
      // Re-run when the task definition (its image or settings) or the model changes; the same
      // commit deploys as a no-op.
      expect(JSON.stringify(run.Properties.TaskDefinition)).toMatch(/TaskDefinition|Task[0-9A-F]{8}/);
      expect(Object.keys(run.Properties.Trigger).sort()).toEqual(['Model']);
      expect(run.Properties.Trigger.Model).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('orders source setup, then the bootstrapper, then every connector', () => {
    expect(bootstrapper.DependsOn).toContain(sourceSetupId);
    const connectors = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::KafkaConnect::Connector');
    expect(connectors).toHaveLength(stage.dataPlane.connectors.size);
    for (const [id, c] of connectors) {
      expect([id, c.DependsOn]).toEqual([id, expect.arrayContaining([sourceSetupId, bootstrapperId])]);
    }
  });

  it('runs the tasks in the isolated subnets with their own security groups', () => {
    expect(sourceSetup.Properties.SecurityGroups).toEqual([
      { 'Fn::GetAtt': [logicalId(stage.dataPlane.node.findChild('SourceSetupSecurityGroup')), 'GroupId'] },
    ]);
    expect(bootstrapper.Properties.SecurityGroups).toEqual([
      { 'Fn::GetAtt': [logicalId(stage.dataPlane.node.findChild('BootstrapperSecurityGroup')), 'GroupId'] },
    ]);
    const isolated = stage.dataPlane.resolve(stage.infra.network.vpc.isolatedSubnets.map((s) => s.subnetId));
    expect(isolated.length).toBeGreaterThan(0);
    for (const [, run] of runs) expect(run.Properties.Subnets).toEqual(isolated);
  });

  it('lets the start handler run only its task definition in its cluster and pass only its two roles', () => {
    for (const prefix of ['SourceSetupOnDeployOnEvent', 'BootstrapperOnDeployOnEvent']) {
      const allows = statementsOf(roleOfFunction(prefix)).filter((s) => s.Effect === 'Allow');
      const run = allows.filter((s) => actionsOf(s).includes('ecs:RunTask'));
      expect(run).toHaveLength(1);
      expect(run[0]!.Resource).toEqual({ Ref: expect.stringMatching(/Task[0-9A-F]{8}$/) });
      expect(run[0]!.Condition).toEqual({ ArnEquals: { 'ecs:cluster': expect.anything() } });
      const pass = allows.filter((s) => actionsOf(s).includes('iam:PassRole'));
      expect(pass).toHaveLength(1);
      expect(resourcesOfStatement(pass[0]!)).toHaveLength(2);
      expect(pass[0]!.Condition).toEqual({
        StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
      });
      expect(allows.flatMap(actionsOf).sort()).toEqual(['ecs:RunTask', 'iam:PassRole']);
    }
    for (const prefix of ['SourceSetupOnDeployIsComplete', 'BootstrapperOnDeployIsComplete']) {
      const allows = statementsOf(roleOfFunction(prefix)).filter((s) => s.Effect === 'Allow');
      expect(allows.flatMap(actionsOf)).toEqual(['ecs:DescribeTasks']);
    }
  });

  it('grants ecs:RunTask and iam:PassRole on "*" to nothing in the data plane', () => {
    for (const [id, r] of Object.entries(resources)) {
      if (r.Type !== 'AWS::IAM::Policy') continue;
      for (const s of r.Properties.PolicyDocument.Statement as Statement[]) {
        const open = resourcesOfStatement(s).includes('*');
        for (const action of ['ecs:RunTask', 'iam:PassRole', 'ecs:*', 'iam:*', '*']) {
          expect([id, action, open && actionsOf(s).includes(action)]).toEqual([id, action, false]);
        }
      }
    }
  });

  it('keeps the handlers outside the VPC, on a supported runtime, logging to encrypted groups', () => {
    const fns = Object.entries(resources).filter(
      ([id, r]) => r.Type === 'AWS::Lambda::Function' && /OnDeploy/.test(id),
    );
    expect(fns).toHaveLength(2 * 5);
    for (const [id, fn] of fns) {
      expect([id, fn.Properties.VpcConfig]).toEqual([id, undefined]);
      const group = resources[fn.Properties.LoggingConfig.LogGroup.Ref]!;
      expect([id, group.Properties.KmsKeyId]).toEqual([
        id,
        { 'Fn::GetAtt': [logicalId(stage.dataPlane.key), 'Arn'] },
      ]);
      expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
    }
    const handlers = fns.filter(([id]) => /OnDeploy(OnEvent|IsComplete)[0-9A-F]{8}$/.test(id));
    expect(handlers).toHaveLength(4);
    for (const [, fn] of handlers) expect(fn.Properties.Runtime).toBe('nodejs24.x');
  });

  it("converges Debezium's role on the source database and the registry's role as owner of its own database", () => {
    const task = stage.dataPlane.node.findChild('SourceSetup') as unknown as {
      taskDefinition: Parameters<typeof logicalId>[0];
    };
    const definition = stage.dataPlane.resolve(
      (
        Template.fromStack(stage.dataPlane).toJSON().Resources[logicalId(task.taskDefinition)] as {
          Properties: { ContainerDefinitions: { Environment: { Name: string; Value: unknown }[] }[] };
        }
      ).Properties.ContainerDefinitions[0]!.Environment,
    ) as { Name: string; Value: unknown }[];
    const raw = JSON.stringify(definition.find((e) => e.Name === 'LAKEWALL_DB_ROLES')!.Value);
    expect(raw).toContain(`\\"role\\":\\"${model.source.debeziumRole}\\"`);
    expect(raw).toContain(`\\"grants\\":\\"cdc-source\\"`);
    expect(raw).toContain(`\\"role\\":\\"${model.schemaRegistry.role}\\"`);
    expect(raw).toContain(`\\"grants\\":\\"database-owner\\"`);
    expect(raw).toContain(`\\"database\\":\\"${model.schemaRegistry.database}\\"`);
    expect(raw).toContain(logicalId(stage.dataPlane.services.schemaRegistryDatabaseSecret));
    // The registry's tasks start only once its role and database exist.
    const registryService = Template.fromStack(stage.dataPlane).toJSON().Resources[
      logicalId(stage.dataPlane.services.schemaRegistry.service)
    ] as { DependsOn?: string[] };
    expect(registryService.DependsOn).toEqual(
      expect.arrayContaining([expect.stringMatching(/^SourceSetupOnDeploy/)]),
    );
  });

  it("lets the source setup task read exactly the admin secret and the declared roles' secrets", () => {
    const task = stage.dataPlane.node.findChild('SourceSetup') as unknown as {
      taskDefinition: { taskRole: Parameters<typeof logicalId>[0] };
    };
    const allows = statementsOf(logicalId(task.taskDefinition.taskRole)).filter((s) => s.Effect === 'Allow');
    const secretReads = allows.filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));
    const secrets = secretReads.flatMap(resourcesOfStatement).map((r) => JSON.stringify(r));
    expect(secrets).toHaveLength(3);
    expect(secrets.join()).toContain(logicalId(stage.dataPlane.debeziumDatabaseSecret));
    expect(secrets.join()).toContain(logicalId(stage.dataPlane.services.schemaRegistryDatabaseSecret));
    expect(secrets.join()).toContain('MasterUserSecret');
    for (const s of secretReads) {
      expect(actionsOf(s).sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    }
    for (const s of allows.filter((x) => actionsOf(x).some((a) => a.startsWith('kms:')))) {
      expect(JSON.stringify(s.Condition)).toContain('secretsmanager.');
    }
    expect(
      allows.flatMap(actionsOf).filter((a) => !a.startsWith('secretsmanager:') && a !== 'kms:Decrypt'),
    ).toEqual([]);
  });

  it("names the source setup's role on the database key's allow-list (the infra stack deploys first)", () => {
    const infra = JSON.stringify(templates.get(env)!.toJSON());
    expect(infra).toContain(`:role/${model.project}-${env}-source-setup-task`);
  });
});
