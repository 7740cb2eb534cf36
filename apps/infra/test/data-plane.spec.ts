import { Template } from 'aws-cdk-lib/assertions';
import { deriveSinks, topicsInZone } from '@lakewall/platform-model';
import { buildAll, CLOUD_ENVIRONMENTS, logicalId, policiesOfRole } from './fixtures';

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(CLOUD_ENVIRONMENTS)('MSK Connect in %s', (env) => {
  const { model, stages, templates } = buildAll();
  const stage = stages.get(env)!;
  const dataPlane = Template.fromStack(stage.dataPlane);
  const infra = templates.get(env)!;
  const resources = dataPlane.toJSON().Resources as Record<string, { Type: string; Properties: Props }>;
  const connectors = Object.values(resources).filter((r) => r.Type === 'AWS::KafkaConnect::Connector');
  const byBase = (base: string) => connectors.find((c) => c.Properties.ConnectorName.startsWith(`${base}-`))!;
  const sinks = deriveSinks(model, env);

  it('runs Debezium and one sink per zone, named with a replacement suffix', () => {
    expect(connectors).toHaveLength(1 + sinks.length);
    for (const c of connectors) expect(c.Properties.ConnectorName).toMatch(/^lakewall-[a-z-]+-[0-9a-f]{8}$/);
    expect(byBase('lakewall-source-trading')).toBeDefined();
    for (const sink of sinks) expect(byBase(sink.connectorName)).toBeDefined();
  });

  it('authenticates every connector with IAM over TLS to the IAM bootstrap brokers', () => {
    for (const c of connectors) {
      expect(c.Properties.KafkaClusterClientAuthentication).toEqual({ AuthenticationType: 'IAM' });
      expect(c.Properties.KafkaClusterEncryptionInTransit).toEqual({ EncryptionType: 'TLS' });
      expect(JSON.stringify(c.Properties.KafkaCluster)).toContain('BootstrapBrokerStringSaslIam');
    }
  });

  it('carries no SCRAM client override and no literal secret in any connector configuration', () => {
    for (const c of connectors) {
      const config = c.Properties.ConnectorConfiguration as Record<string, unknown>;
      expect(Object.keys(config).filter((k) => /sasl|security\.protocol/.test(k))).toEqual([]);
      for (const [key, value] of Object.entries(config)) {
        if (/password|secret/i.test(key)) expect(JSON.stringify(value)).toContain('${secretsmanager:');
      }
    }
    const debezium = byBase('lakewall-source-trading').Properties.ConnectorConfiguration;
    expect(JSON.stringify(debezium['database.password'])).toContain(
      logicalId(stage.dataPlane.debeziumDatabaseSecret),
    );
  });

  it('keeps each sink on its zone topics and the model consumer group', () => {
    for (const sink of sinks) {
      const config = byBase(sink.connectorName).Properties.ConnectorConfiguration;
      expect(config.topics).toBe(
        topicsInZone(model, env, sink.zone)
          .map((t) => t.name)
          .join(','),
      );
      expect(config['consumer.override.group.id']).toBe(sink.group);
    }
  });

  it("never grants the public sink's role an MNPI topic (the wall holds on IAM too)", () => {
    const role = stage.infra.sinkRoles.get('sink-public/raw')!.role;
    const policies = JSON.stringify(policiesOfRole(infra, logicalId(role)));
    expect(policies).toContain('cdc.market_data.public');
    for (const topic of topicsInZone(model, env, 'mnpi')) expect(policies).not.toContain(`/${topic.name}"`);
    expect(policies).not.toContain('connect-lakewall-sink-mnpi');
  });

  it('lets MSK Connect assume the execution roles for connectors of this account only', () => {
    const debezium = stage.dataPlane.connectors.get('debezium')!;
    const trust = resources[logicalId(debezium.role)]!.Properties.AssumeRolePolicyDocument.Statement;
    const { account, region } = model.environments[env];
    expect(trust).toEqual([
      expect.objectContaining({
        Principal: { Service: 'kafkaconnect.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:aws:kafkaconnect:${region}:${account}:connector/*` },
        },
      }),
    ]);
  });

  it('opens the database to Debezium, the deploy-time source setup and the schema registry alone, on PostgreSQL', () => {
    const groupOf = (prefix: string) => Object.keys(resources).find((id) => id.startsWith(prefix))!;
    const toDatabase = Object.values(resources).filter(
      (r) =>
        r.Type === 'AWS::EC2::SecurityGroupIngress' &&
        JSON.stringify(r.Properties.GroupId).includes('DatabaseSecurityGroup'),
    );
    expect(toDatabase.map((r) => [r.Properties.FromPort, r.Properties.ToPort])).toEqual([
      [5432, 5432],
      [5432, 5432],
      [5432, 5432],
    ]);
    // In any order: the order of the rules follows the order the constructs are declared in.
    const bySource = (r: { Properties: Props }) => JSON.stringify(r.Properties.SourceSecurityGroupId);
    const sources = toDatabase.map(bySource).sort();
    expect(sources.map((s) => JSON.parse(s))).toEqual([
      { 'Fn::GetAtt': [groupOf('ConnectorSecurityGroupdebezium'), 'GroupId'] },
      { 'Fn::GetAtt': [groupOf('SchemaRegistrySecurityGroup'), 'GroupId'] },
      { 'Fn::GetAtt': [groupOf('SourceSetupSecurityGroup'), 'GroupId'] },
    ]);
  });

  it('deploys after the infra stack', () => {
    expect(stage.dataPlane.dependencies).toContain(stage.infra);
  });
});
