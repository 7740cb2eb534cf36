import { Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_API_CLOUD_ENV, ADMIN_API_REQUIRED_CLOUD_SETTINGS } from '@lakewall/kafka-connection';
import { deriveAcls, kafkaPrincipal, loadPlatformModel } from '@lakewall/platform-model';
import { buildAll, CLOUD_ENVIRONMENTS, logicalId } from './fixtures';
import {
  CRUISE_CONTROL_PORT,
  cruiseControlCapacity,
  cruiseControlProperties,
} from '../src/stacks/cruise-control';
import { SCHEMA_REGISTRY_PORT } from '../src/stacks/schema-registry';

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Resource = { Type: string; Properties: Props; DeletionPolicy?: string };

const REPO_ROOT = join(__dirname, '../../..');
const envOf = (container: Props) =>
  Object.fromEntries(
    (container.Environment as { Name: string; Value: unknown }[]).map((e) => [e.Name, e.Value]),
  );
const secretsOf = (container: Props) =>
  Object.fromEntries(
    ((container.Secrets ?? []) as { Name: string; ValueFrom: unknown }[]).map((s) => [s.Name, s.ValueFrom]),
  );

describe('the schema registry image', () => {
  it('runs the Apicurio Registry version the local stack runs', () => {
    const versions = JSON.parse(readFileSync(join(REPO_ROOT, 'tools/local-stack/versions.json'), 'utf8'));
    const dockerfile = readFileSync(join(REPO_ROOT, 'apps/infra/images/schema-registry/Dockerfile'), 'utf8');
    const from = /^FROM apicurio\/apicurio-registry:([^\s@]+)/m.exec(dockerfile);
    expect(from?.[1]).toBe(versions.maven.apicurio);
    expect(dockerfile).toMatch(/^USER (?!0\b|root\b)\S+/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
  });
});

describe('Cruise Control configuration', () => {
  const model = loadPlatformModel();
  const endpoints = {
    bootstrapServers: 'b-1.example:9096,b-2.example:9096',
    prometheus: 'prometheus.services.lakewall-dev.internal:9090',
    scrapeIntervalSeconds: 30,
  };
  const properties = (env: 'dev' | 'staging' | 'prod') =>
    Object.fromEntries(
      cruiseControlProperties(model, env, endpoints)
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );

  it('samples load from Prometheus, keeps samples in memory, heals nothing and asks twice', () => {
    const p = properties('prod');
    expect(p['metric.sampler.class']).toBe(
      'com.linkedin.kafka.cruisecontrol.monitor.sampling.prometheus.PrometheusMetricSampler',
    );
    expect(p['prometheus.server.endpoint']).toBe(endpoints.prometheus);
    expect(p['sample.store.class']).toBe('com.linkedin.kafka.cruisecontrol.monitor.sampling.NoopSampleStore');
    expect(p['self.healing.enabled']).toBe('false');
    expect(p['two.step.verification.enabled']).toBe('true');
    expect(p['bootstrap.servers']).toBe(endpoints.bootstrapServers);
    expect(p['security.protocol']).toBe('SASL_SSL');
    expect(p['sasl.mechanism']).toBe('SCRAM-SHA-512');
    expect(p['webserver.http.port']).toBe(String(CRUISE_CONTROL_PORT));
  });

  it('carries no credential (the entrypoint adds the login from the injected secret)', () => {
    const text = cruiseControlProperties(model, 'dev', endpoints);
    expect(text).not.toMatch(/jaas|password/i);
  });

  it.each(['dev', 'staging', 'prod'] as const)('sizes %s brokers from the model', (env) => {
    const kafka = model.environments[env].kafka;
    const capacity = JSON.parse(cruiseControlCapacity(model, env)).brokerCapacities[0];
    expect(capacity.brokerId).toBe('-1');
    expect(capacity.capacity.DISK).toBe(String(kafka.brokerStorageGiB! * 1024));
    expect(Number(capacity.capacity.NW_IN)).toBeGreaterThan(0);
    expect(capacity.capacity.NW_OUT).toBe(capacity.capacity.NW_IN);
  });

  it('refuses a broker type whose network capacity it does not know', () => {
    const odd = structuredClone(model);
    odd.environments.dev.kafka.brokerInstanceType = 'kafka.x9.huge';
    expect(() => cruiseControlCapacity(odd, 'dev')).toThrow(/kafka\.x9\.huge/);
  });

  it.each(['dev', 'staging', 'prod'] as const)(
    'gives its principal in %s no ALTER, READ or WRITE anywhere',
    (env) => {
      const own = deriveAcls(model, env).filter((a) => a.principal === kafkaPrincipal('cruise-control'));
      expect(own.length).toBeGreaterThan(0);
      expect(own.filter((a) => !['DESCRIBE', 'DESCRIBE_CONFIGS'].includes(a.operation))).toEqual([]);
    },
  );
});

describe.each(CLOUD_ENVIRONMENTS)('schema registry and Cruise Control in %s', (env) => {
  const { model, stages } = buildAll();
  const stage = stages.get(env)!;
  const services = stage.dataPlane.services;
  const template = Template.fromStack(stage.dataPlane);
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const containerOf = (svc: typeof services.schemaRegistry) =>
    resources[logicalId(svc.taskDefinition)]!.Properties.ContainerDefinitions[0] as Props;
  const policiesOf = (roleId: string) =>
    Object.values(resources).filter(
      (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${roleId}"`),
    );
  const ingressOf = (groupId: string) =>
    Object.values(resources)
      .filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress')
      .filter((r) => JSON.stringify(r.Properties.GroupId).includes(`"${groupId}"`));

  it("stores the registry's schemas in the model's database and role on RDS, over TLS", () => {
    const e = envOf(containerOf(services.schemaRegistry));
    expect(e.APICURIO_STORAGE_KIND).toBe('sql');
    expect(e.APICURIO_STORAGE_SQL_KIND).toBe('postgresql');
    expect(e.APICURIO_DATASOURCE_USERNAME).toBe(model.schemaRegistry.role);
    const url = JSON.stringify(e.APICURIO_DATASOURCE_URL);
    expect(url).toContain(`/${model.schemaRegistry.database}?sslmode=require`);
    expect(url).toContain('SourceDatabase');
  });

  it('injects the database password from its own retained, KMS-encrypted secret, and no other secret', () => {
    const container = containerOf(services.schemaRegistry);
    const secretId = logicalId(services.schemaRegistryDatabaseSecret);
    const secrets = secretsOf(container);
    expect(Object.keys(secrets)).toEqual(['APICURIO_DATASOURCE_PASSWORD']);
    expect(JSON.stringify(secrets.APICURIO_DATASOURCE_PASSWORD)).toContain(secretId);
    expect(JSON.stringify(secrets.APICURIO_DATASOURCE_PASSWORD)).toContain(':password::');
    expect(Object.keys(envOf(container)).filter((k) => /PASSWORD/.test(k))).toEqual([]);
    const secret = resources[secretId]!;
    expect(secret.Properties.Name).toBe(`lakewall-${env}/schema-registry/database`);
    expect(JSON.parse(secret.Properties.GenerateSecretString.SecretStringTemplate)).toEqual({
      username: model.schemaRegistry.role,
    });
    expect(JSON.stringify(secret.Properties.KmsKeyId)).toContain(logicalId(stage.dataPlane.key));
    expect(secret.DeletionPolicy).toBe('Retain');
  });

  it("gives the registry's task role no permission, and its execution role that one secret", () => {
    const svc = services.schemaRegistry;
    expect(policiesOf(logicalId(svc.taskRole))).toEqual([]);
    const exec = JSON.stringify(policiesOf(logicalId(svc.executionRole)));
    expect(exec).toContain(logicalId(services.schemaRegistryDatabaseSecret));
    expect(exec).not.toContain('ScramSecret');
  });

  it('registers both in Cloud Map, and Prometheus too', () => {
    const names = Object.values(resources)
      .filter((r) => r.Type === 'AWS::ServiceDiscovery::Service')
      .map((r) => r.Properties.Name);
    expect(names).toEqual(expect.arrayContaining(['schema-registry', 'cruise-control', 'prometheus']));
  });

  it('lets the admin API, the monitor, the bootstrapper and the connectors call the registry, and nothing else', () => {
    const ingress = ingressOf(logicalId(services.schemaRegistry.securityGroup));
    const connectorGroups = Object.keys(resources).filter(
      (id) => id.startsWith('ConnectorSecurityGroup') && resources[id]!.Type === 'AWS::EC2::SecurityGroup',
    );
    expect(connectorGroups).toHaveLength(stage.dataPlane.connectors.size);
    const callers = [
      logicalId(services.adminApi.securityGroup),
      logicalId(services.monitor.securityGroup),
      logicalId(services.bootstrapper.securityGroup),
      ...connectorGroups,
    ];
    expect(ingress.map((r) => r.Properties.FromPort)).toEqual(callers.map(() => SCHEMA_REGISTRY_PORT));
    expect(ingress.map((r) => r.Properties.SourceSecurityGroupId['Fn::GetAtt'][0]).sort()).toEqual(
      [...callers].sort(),
    );
  });

  it('gives Cruise Control no caller, its own SCRAM password through a named execution role', () => {
    const svc = services.cruiseControl;
    expect(ingressOf(logicalId(svc.securityGroup))).toEqual([]);
    const container = containerOf(svc);
    const secrets = secretsOf(container);
    expect(Object.keys(secrets)).toEqual(['LAKEWALL_KAFKA_PASSWORD']);
    expect(JSON.stringify(secrets.LAKEWALL_KAFKA_PASSWORD)).toContain('ScramSecretcruisecontrol');
    expect(resources[logicalId(svc.executionRole)]!.Properties.RoleName).toBe(
      `lakewall-${env}-cruise-control-execution`,
    );
    expect(policiesOf(logicalId(svc.taskRole))).toEqual([]);
    const exec = JSON.stringify(policiesOf(logicalId(svc.executionRole)));
    expect(exec).toContain('ScramSecretcruisecontrol');
    for (const other of ['bootstrapper', 'monitor', 'adminapi', 'debezium']) {
      expect(exec).not.toContain(`ScramSecret${other}`);
    }
    const e = envOf(container);
    expect(e.LAKEWALL_KAFKA_USERNAME).toBe('cruise-control');
    expect(JSON.stringify(e.LAKEWALL_CRUISE_CONTROL_PROPERTIES)).toContain(
      `prometheus.server.endpoint=prometheus.services.lakewall-${env}.internal:9090`,
    );
  });

  it("has Prometheus scrape MSK by the brokers' advertised host names, which Cruise Control matches", () => {
    const prometheus = envOf(containerOf(services.observability.prometheus));
    const config = JSON.stringify(prometheus.LAKEWALL_PROMETHEUS_CONFIG);
    expect(config).toContain('BrokerNodeInfoEndpoints0');
    expect(config).not.toContain('ClientVpcIpAddress');
  });

  it("puts Cruise Control's execution role on the SCRAM key's allow-list by name", () => {
    const infra = JSON.stringify(Template.fromStack(stage.infra).toJSON());
    expect(infra).toContain(`role/lakewall-${env}-cruise-control-execution`);
  });

  it('sets every variable the admin API requires on AWS, and no Kafka Connect URL', () => {
    const e = envOf(containerOf(services.adminApi));
    for (const setting of ADMIN_API_REQUIRED_CLOUD_SETTINGS) {
      expect(e[ADMIN_API_CLOUD_ENV[setting]]).toBeDefined();
    }
    expect(e[ADMIN_API_CLOUD_ENV.connectUrl]).toBeUndefined();
    expect(JSON.stringify(e[ADMIN_API_CLOUD_ENV.registryUrl])).toContain(
      `schema-registry.services.lakewall-${env}.internal:${SCHEMA_REGISTRY_PORT}/apis/ccompat/v7`,
    );
  });
});

describe('the Cruise Control image', () => {
  const dockerfile = readFileSync(join(REPO_ROOT, 'apps/infra/images/cruise-control/Dockerfile'), 'utf8');
  const { stages } = buildAll();
  const stage = stages.get('dev')!;
  const resources = Template.fromStack(stage.dataPlane).toJSON().Resources as Record<string, Resource>;
  const task = resources[logicalId(stage.dataPlane.services.cruiseControl.taskDefinition)]!;

  it('starts from an image pinned by exact tag, never a moving one', () => {
    const from = /^FROM (\S+)/m.exec(dockerfile)?.[1];
    expect(from).toMatch(
      /^quay\.io\/strimzi\/kafka:\d+\.\d+\.\d+-kafka-\d+\.\d+\.\d+(@sha256:[0-9a-f]{64})?$/,
    );
  });

  it("runs as the image's last USER, which the task definition names too, and never root", () => {
    const users = [...dockerfile.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
    const last = users[users.length - 1];
    expect(last).not.toMatch(/^(0|root)$/);
    expect(task.Properties.ContainerDefinitions[0].User).toBe(last);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
  });
});
