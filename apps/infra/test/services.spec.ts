import { Template } from 'aws-cdk-lib/assertions';
import { buildAll, CLOUD_ENVIRONMENTS, logicalId } from './fixtures';

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(CLOUD_ENVIRONMENTS)('ECS services in %s', (env) => {
  const { stages } = buildAll();
  const stage = stages.get(env)!;
  const services = stage.dataPlane.services;
  const template = Template.fromStack(stage.dataPlane);
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Props }>;
  const task = resources[logicalId(services.bootstrapper.taskDefinition)]!.Properties;
  const container = task.ContainerDefinitions[0];

  it('runs the bootstrapper from the image the deploy builds from its Dockerfile (an asset), on x86_64', () => {
    // An asset image: its URI names the CDK bootstrap repository and the build's content hash.
    expect(JSON.stringify(container.Image)).toMatch(/container-assets.*:[0-9a-f]{64}/);
    expect(task.RuntimePlatform.CpuArchitecture).toBe('X86_64');
    expect(Object.values(resources).filter((r) => r.Type === 'AWS::ECR::Repository')).toEqual([]);
  });

  it('runs it as a non-root user on a read-only root filesystem, logging to an encrypted group', () => {
    expect(container.User).toBe('1000');
    expect(container.ReadonlyRootFilesystem).toBe(true);
    expect(container.LogConfiguration.LogDriver).toBe('awslogs');
    const logs = resources[logicalId(services.bootstrapper.logGroup)]!.Properties;
    expect(logs.KmsKeyId).toBeDefined();
    expect(logs.RetentionInDays).toBeGreaterThan(0);
  });

  it('gives it its environment and its own SCRAM secret ARN, and no secret value', () => {
    const envVars = Object.fromEntries(
      (container.Environment as { Name: string; Value: unknown }[]).map((e) => [e.Name, e.Value]),
    );
    expect(envVars.LAKEWALL_ENV).toBe(env);
    expect(envVars.LAKEWALL_KAFKA_TLS).toBe('true');
    expect(JSON.stringify(envVars.LAKEWALL_KAFKA_SECRET_ARN)).toContain('ScramSecretbootstrapper');
    expect(Object.keys(envVars).filter((k) => /PASSWORD/.test(k))).toEqual([]);
    expect(container.Secrets).toBeUndefined();
  });

  it('lets its task role read the bootstrapper secret and no other principal secret', () => {
    const role = logicalId(services.bootstrapper.taskDefinition.taskRole);
    const policies = Object.values(resources).filter(
      (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(role),
    );
    const text = JSON.stringify(policies);
    expect(text).toContain('ScramSecretbootstrapper');
    for (const other of ['debezium', 'sink-mnpi', 'sink-public', 'monitor', 'admin-api', 'connect-worker']) {
      expect(text).not.toContain(`ScramSecret${other.replace(/-/g, '')}`);
    }
  });

  it('has a Fargate cluster with Container Insights', () => {
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterName: `lakewall-${env}-services`,
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }],
    });
  });
});
