import { Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import {
  APICURIO_AVRO_CONVERTER,
  DEFAULT_MODEL_PATH,
  JSON_CONVERTER,
  parsePlatformModel,
  wireFormatOf,
} from '@lakewall/platform-model';
import { deriveMskConnectors, type ConnectorTargets } from '../src/stacks/connectors';
import { SCHEMA_REGISTRY_PORT } from '../src/stacks/schema-registry';
import { buildAll, CLOUD_ENVIRONMENTS, logicalId } from './fixtures';

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Resource = { Type: string; Properties: Props; DeletionPolicy?: string };

const ENDPOINT = 'lakewall-dev/schema-registry/endpoint';
const targets: ConnectorTargets = {
  database: { hostname: 'db', port: 5432, secretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:db' },
  region: 'eu-west-1',
  schemaRegistry: { secretName: ENDPOINT },
  sinkTarget: () => ({ bucket: 'raw', kmsKeyArn: 'arn:aws:kms:eu-west-1:1:key/k' }),
};
const modelWith = (format: 'avro' | 'json') => {
  const doc = parseDocument(readFileSync(DEFAULT_MODEL_PATH, 'utf8'));
  doc.setIn(['environments', 'dev', 'wireFormat'], format);
  return parsePlatformModel(doc.toString());
};
const converterSettings = (config: Readonly<Record<string, string>>) =>
  Object.entries(config).filter(([k]) => /^(key|value)\.converter/.test(k));

describe('deriveMskConnectors and the wire format', () => {
  it('gives every connector the Apicurio converter, with the registry URL as a Secrets Manager reference, for Avro', () => {
    const specs = deriveMskConnectors(modelWith('avro'), 'dev', targets);
    expect(specs.map((s) => s.plugin)).toEqual(['debezium', 'sink', 'sink']);
    for (const spec of specs) {
      expect(spec.config['key.converter']).toBe(APICURIO_AVRO_CONVERTER);
      expect(spec.config['value.converter']).toBe(APICURIO_AVRO_CONVERTER);
      for (const side of ['key', 'value'])
        expect(spec.config[`${side}.converter.apicurio.registry.url`]).toBe(
          `\${secretsmanager:${ENDPOINT}:url}`,
        );
      // Only Debezium registers schemas; the sinks only look them up.
      expect(spec.config['value.converter.apicurio.registry.auto-register']).toBe(
        spec.plugin === 'debezium' ? 'true' : 'false',
      );
    }
  });

  it('keeps the JSON converter and names no registry where the model says JSON', () => {
    for (const spec of deriveMskConnectors(modelWith('json'), 'dev', targets)) {
      expect(spec.config['key.converter']).toBe(JSON_CONVERTER);
      expect(spec.config['value.converter']).toBe(JSON_CONVERTER);
      expect(JSON.stringify(spec.config)).not.toContain('apicurio');
      expect(JSON.stringify(spec.config)).not.toContain(ENDPOINT);
    }
  });
});

describe.each(CLOUD_ENVIRONMENTS)('Avro through the schema registry in %s', (env) => {
  const { model, stages } = buildAll();
  const stage = stages.get(env)!;
  const dataPlane = stage.dataPlane;
  const services = dataPlane.services;
  const template = Template.fromStack(dataPlane);
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const connectors = Object.values(resources).filter((r) => r.Type === 'AWS::KafkaConnect::Connector');
  const secretId = logicalId(dataPlane.schemaRegistryEndpointSecret);
  const envOf = (taskDefinition: Parameters<typeof logicalId>[0]) =>
    Object.fromEntries(
      (
        resources[logicalId(taskDefinition)]!.Properties.ContainerDefinitions[0].Environment as {
          Name: string;
          Value: unknown;
        }[]
      ).map((e) => [e.Name, e.Value]),
    );
  /** Statements of every IAM policy in either stack that name the endpoint secret, by the roles they attach to. */
  const readersOfSecret = () => {
    const all = [
      ...Object.values(resources),
      ...Object.values(Template.fromStack(stage.infra).toJSON().Resources as Record<string, Resource>),
    ];
    return all
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .filter((r) => JSON.stringify(r.Properties.PolicyDocument).includes(`"${secretId}"`))
      .flatMap((r) => r.Properties.Roles as unknown[])
      .map((role) => JSON.stringify(role));
  };

  it('is the wire format of the model in this environment', () => {
    expect(wireFormatOf(model, env)).toBe('avro');
  });

  it("keeps the registry's v2 API URL in a retained secret, under a key of its own, whose policy only the deployment changes", () => {
    const secret = resources[secretId]!;
    expect(secret.Properties.Name).toBe(`lakewall-${env}/schema-registry/endpoint`);
    expect(JSON.parse(secret.Properties.SecretString)).toEqual({
      url: `http://schema-registry.services.lakewall-${env}.internal:${SCHEMA_REGISTRY_PORT}/apis/registry/v2`,
    });
    // Its own key, not the data-plane key: the public sink reads it too.
    expect(JSON.stringify(secret.Properties.KmsKeyId)).toContain(
      logicalId(dataPlane.schemaRegistryEndpointKey),
    );
    expect(secret.DeletionPolicy).toBe('Retain');
    const policy = Object.values(resources).find(
      (r) =>
        r.Type === 'AWS::SecretsManager::ResourcePolicy' &&
        JSON.stringify(r.Properties.SecretId).includes(`"${secretId}"`),
    );
    expect(JSON.stringify(policy?.Properties.ResourcePolicy)).toContain('DenyPolicyChangesOutsideDeployment');
  });

  it('gives every connector the Apicurio converter with a Secrets Manager reference, never a literal URL', () => {
    expect(connectors).toHaveLength(dataPlane.connectors.size);
    for (const c of connectors) {
      const config = c.Properties.ConnectorConfiguration as Record<string, unknown>;
      expect(config['key.converter']).toBe(APICURIO_AVRO_CONVERTER);
      expect(config['value.converter']).toBe(APICURIO_AVRO_CONVERTER);
      for (const side of ['key', 'value'])
        expect(config[`${side}.converter.apicurio.registry.url`]).toBe(
          `\${secretsmanager:lakewall-${env}/schema-registry/endpoint:url}`,
        );
      for (const [key, value] of converterSettings(config as Record<string, string>))
        expect(`${key}=${JSON.stringify(value)}`).not.toMatch(/https?:\/\//);
    }
  });

  it('lets exactly the three connector roles read the endpoint secret', () => {
    const roles = [...dataPlane.connectors.values()].map((c) => c.role);
    expect(roles).toHaveLength(3);
    const readers = readersOfSecret();
    expect(readers).toHaveLength(roles.length);
    for (const role of roles) {
      const ref = JSON.stringify(readers);
      expect(ref).toContain(logicalId(role));
    }
  });

  it('creates each connector after its role may read the endpoint secret', () => {
    for (const connector of dataPlane.connectors.values()) {
      const depends = JSON.stringify(resources[logicalId(connector.connector)]!);
      const grants = Object.entries(resources).filter(
        ([, r]) =>
          r.Type === 'AWS::IAM::Policy' &&
          JSON.stringify(r.Properties.PolicyDocument).includes(`"${secretId}"`) &&
          JSON.stringify(r.Properties.Roles).includes(logicalId(connector.role)),
      );
      // The Debezium role's own policy is in this stack; a sink's grant is a policy of this stack too.
      expect(grants.length).toBe(1);
      expect(depends).toContain(grants[0]![0]);
    }
  });

  it('gives the monitor and the bootstrapper the Confluent-compatible API as LAKEWALL_REGISTRY_URL', () => {
    const expected = `schema-registry.services.lakewall-${env}.internal:${SCHEMA_REGISTRY_PORT}/apis/ccompat/v7`;
    for (const task of [services.monitor.taskDefinition, services.bootstrapper.taskDefinition])
      expect(JSON.stringify(envOf(task).LAKEWALL_REGISTRY_URL)).toContain(expected);
  });

  it('runs the bootstrapper (and its compatibility rules) once the registry service exists', () => {
    const run = Object.entries(resources).find(([id]) => id.startsWith('BootstrapperOnDeploy'));
    expect(run).toBeDefined();
    const runs = Object.entries(resources).filter(
      ([id, r]) => id.startsWith('BootstrapperOnDeploy') && r.Type.startsWith('Custom::'),
    );
    expect(runs).toHaveLength(1);
    expect(JSON.stringify((runs[0]![1] as Props).DependsOn)).toContain(
      logicalId(services.schemaRegistry.service),
    );
  });
});
