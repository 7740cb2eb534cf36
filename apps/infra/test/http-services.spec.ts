import { Template } from 'aws-cdk-lib/assertions';
import { MANAGED_RULE_GROUPS, SERVICE_USER } from '@lakewall/infra-constructs';
import { buildAll, CLOUD_ENVIRONMENTS, logicalId } from './fixtures';
import { logRetentionFor } from '../src/stacks/log-retention';
import { SERVICE_PORTS } from '../src/stacks/services';

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Resource = { Type: string; Properties: Props };

describe.each(CLOUD_ENVIRONMENTS)('monitor and admin API services in %s', (env) => {
  const { model, stages } = buildAll();
  const stage = stages.get(env)!;
  const services = stage.dataPlane.services;
  const template = Template.fromStack(stage.dataPlane);
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const sizes = model.environments[env].services!;
  const cases = [
    { name: 'monitor', svc: services.monitor, principal: 'monitor', size: sizes.monitor, port: 19400 },
    {
      name: 'admin API',
      svc: services.adminApi,
      principal: 'admin-api',
      size: sizes.adminApi.size,
      port: 8080,
    },
  ];
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const policiesOf = (roleId: string) =>
    ofType('AWS::IAM::Policy')
      .map(([, r]) => r)
      .filter((r) => JSON.stringify(r.Properties.Roles).includes(`"${roleId}"`));

  it.each(cases)('runs the $name image as a CDK asset, non-root, read-only, no capabilities', ({ svc }) => {
    const container = resources[logicalId(svc.taskDefinition)]!.Properties.ContainerDefinitions[0];
    expect(JSON.stringify(container.Image)).toMatch(/cdk-[a-z0-9]+-container-assets-.*:[0-9a-f]{64}/);
    expect(container.User).toBe(SERVICE_USER);
    expect(container.ReadonlyRootFilesystem).toBe(true);
    expect(container.Privileged).toBe(false);
    expect(container.LinuxParameters.Capabilities.Drop).toEqual(['ALL']);
    expect(container.LinuxParameters.Capabilities.Add).toBeUndefined();
    expect(container.Secrets).toBeUndefined();
  });

  it.each(cases)(
    'health-checks the $name on /healthz and rolls back a failed deployment',
    ({ svc, port }) => {
      const container = resources[logicalId(svc.taskDefinition)]!.Properties.ContainerDefinitions[0];
      expect(container.HealthCheck.Command.join(' ')).toContain(`http://127.0.0.1:${port}/healthz`);
      const service = resources[logicalId(svc.service)]!.Properties;
      expect(service.DeploymentConfiguration.DeploymentCircuitBreaker).toEqual({
        Enable: true,
        Rollback: true,
      });
      expect(service.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('DISABLED');
      expect(service.EnableExecuteCommand).toBe(false);
    },
  );

  it.each(cases)('sizes the $name from the model', ({ svc, size }) => {
    const task = resources[logicalId(svc.taskDefinition)]!.Properties;
    expect(task.Cpu).toBe(String(size.cpu));
    expect(task.Memory).toBe(String(size.memoryMiB));
    expect(resources[logicalId(svc.service)]!.Properties.DesiredCount).toBe(size.desiredCount);
  });

  it.each(cases)('logs the $name to a KMS-encrypted group with retention', ({ svc }) => {
    const container = resources[logicalId(svc.taskDefinition)]!.Properties.ContainerDefinitions[0];
    expect(container.LogConfiguration.LogDriver).toBe('awslogs');
    const logs = resources[logicalId(svc.logGroup)]!.Properties;
    expect(logs.KmsKeyId).toEqual({ 'Fn::GetAtt': [logicalId(stage.dataPlane.key), 'Arn'] });
    expect(logs.RetentionInDays).toBe(logRetentionFor(model.environments[env].audit!.retentionDays));
  });

  it.each(cases)(
    "gives the $name's named task role its own SCRAM secret and nothing else",
    ({ svc, principal }) => {
      const roleId = logicalId(svc.taskRole);
      const role = resources[roleId]!.Properties;
      expect(role.RoleName).toBe(`lakewall-${env}-${principal}-task`);
      expect(role.Tags).toContainEqual({ Key: 'principal', Value: principal });
      expect(role.ManagedPolicyArns).toBeUndefined();
      const statements = policiesOf(roleId).flatMap((p) => p.Properties.PolicyDocument.Statement);
      expect(
        statements
          .map((s: Props) => [s.Action].flat())
          .flat()
          .sort(),
      ).toEqual(['kms:Decrypt', 'secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'].sort());
      const text = JSON.stringify(statements);
      expect(text).toContain(`ScramSecret${principal.replace(/-/g, '')}`);
      for (const other of Object.keys(model.principals).filter((p) => p !== principal)) {
        expect(text).not.toContain(`ScramSecret${other.replace(/-/g, '')}"`);
      }
      const decrypt = statements.find((s: Props) => s.Action === 'kms:Decrypt');
      expect(decrypt.Condition.StringEquals['kms:ViaService']).toBe('secretsmanager.us-east-1.amazonaws.com');
    },
  );

  it('passes the admin API its identity provider from the model and no secret value', () => {
    const container =
      resources[logicalId(services.adminApi.taskDefinition)]!.Properties.ContainerDefinitions[0];
    const vars = Object.fromEntries(
      (container.Environment as { Name: string; Value: unknown }[]).map((e) => [e.Name, e.Value]),
    );
    const identity = sizes.adminApi.identity;
    expect(vars.LAKEWALL_ADMIN_API_ISSUER).toBe(identity.issuer);
    expect(vars.LAKEWALL_ADMIN_API_AUDIENCE).toBe(identity.audience);
    expect(vars.LAKEWALL_ADMIN_API_JWKS_URL).toBe(identity.jwksUrl);
    expect(vars.LAKEWALL_ADMIN_API_PORT).toBe(String(SERVICE_PORTS.adminApi));
    expect(Object.keys(vars).filter((k) => /PASSWORD|TOKEN|APPLIER/.test(k))).toEqual([]);
  });

  it('puts the admin API behind an internal HTTPS load balancer with the model certificate', () => {
    const lb = resources[logicalId(services.adminApiEndpoint.loadBalancer)]!.Properties;
    expect(lb.Scheme).toBe('internal');
    expect(lb.LoadBalancerAttributes).toContainEqual({
      Key: 'routing.http.drop_invalid_header_fields.enabled',
      Value: 'true',
    });
    const listeners = ofType('AWS::ElasticLoadBalancingV2::Listener').map(([, r]) => r.Properties);
    expect(listeners).toHaveLength(1);
    expect(listeners[0]).toMatchObject({
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: expect.stringMatching(/^ELBSecurityPolicy-TLS13-1-2/),
      Certificates: [{ CertificateArn: sizes.adminApi.certificateArn }],
    });
  });

  it('protects the load balancer with the AWS managed rule groups and a rate rule from the model', () => {
    const [[aclId, acl]] = ofType('AWS::WAFv2::WebACL') as [[string, Resource]];
    expect(acl.Properties.Scope).toBe('REGIONAL');
    const rules = acl.Properties.Rules as Props[];
    expect(rules.map((r) => r.Statement.ManagedRuleGroupStatement?.Name).filter(Boolean)).toEqual([
      ...MANAGED_RULE_GROUPS,
    ]);
    const rate = rules.find((r) => r.Statement.RateBasedStatement)!;
    expect(rate.Statement.RateBasedStatement).toEqual({
      Limit: sizes.adminApi.wafRateLimitPer5Minutes,
      AggregateKeyType: 'IP',
    });
    expect(rate.Action).toEqual({ Block: {} });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { Ref: logicalId(services.adminApiEndpoint.loadBalancer) },
      WebACLArn: { 'Fn::GetAtt': [aclId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }],
    });
  });

  it('opens the admin API only to its load balancer, and the load balancer only to its clients', () => {
    const ingressTo = (sgId: string) =>
      ofType('AWS::EC2::SecurityGroupIngress')
        .map(([, r]) => r.Properties)
        .filter((p) => JSON.stringify(p.GroupId).includes(`"${sgId}"`));
    const apiIngress = ingressTo(logicalId(services.adminApi.securityGroup));
    expect(apiIngress).toEqual([
      expect.objectContaining({
        FromPort: SERVICE_PORTS.adminApi,
        SourceSecurityGroupId: {
          'Fn::GetAtt': [logicalId(services.adminApiEndpoint.securityGroup), 'GroupId'],
        },
      }),
    ]);
    const albIngress = ingressTo(logicalId(services.adminApiEndpoint.securityGroup));
    expect(albIngress).toEqual([
      expect.objectContaining({
        FromPort: 443,
        SourceSecurityGroupId: { 'Fn::GetAtt': [logicalId(services.adminApiClients), 'GroupId'] },
      }),
    ]);
    // Nothing in the data plane is opened to an address range.
    for (const [, r] of ofType('AWS::EC2::SecurityGroup')) {
      expect(r.Properties.SecurityGroupIngress ?? []).toEqual([]);
    }
    for (const [, r] of ofType('AWS::EC2::SecurityGroupIngress')) expect(r.Properties.CidrIp).toBeUndefined();
  });
});
