import {
  APICURIO_AVRO_CONVERTER,
  cdcSubjects,
  deriveConverters,
  deriveDebeziumConnectorConfig,
  deriveIcebergSinkConnectorConfig,
  deriveSinks,
  loadPlatformModel,
  parsePlatformModel,
  tablesOf,
  wireFormatOf,
} from '../src';
import { editedModel, modelText } from './fixtures';

const model = loadPlatformModel();
/** The repository's model with prod on schemaless JSON, the format an environment may still ask for. */
const jsonProd = parsePlatformModel(
  editedModel((doc) => doc.setIn(['environments', 'prod', 'wireFormat'], 'json')),
);
const registry = { urlRef: '${file:/s/registry.properties:url}' };
const conn = {
  hostname: 'db',
  port: 5432,
  user: 'debezium',
  password: '${file:/s/pg.properties:password}',
  kafkaUsername: 'debezium',
  kafkaPassword: '${file:/s/kafka-debezium.properties:password}',
  registry,
};
const glue = {
  kind: 'glue' as const,
  catalogName: 'lakewall',
  warehouse: 's3://raw/',
  region: 'us-east-1',
  kmsKeyArn: 'arn:aws:kms:us-east-1:1:key/k',
};
const converterKeys = (config: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(config).filter(([k]) => /^(key|value)\.converter/.test(k)));

describe('wire format per environment', () => {
  it('defaults to Avro when an environment says nothing, and keeps JSON where one asks for it', () => {
    const text = editedModel((doc) => {
      doc.deleteIn(['environments', 'local', 'wireFormat']);
      doc.setIn(['environments', 'dev', 'wireFormat'], 'json');
    });
    const edited = parsePlatformModel(text);
    expect(wireFormatOf(edited, 'local')).toBe('avro');
    expect(wireFormatOf(edited, 'dev')).toBe('json');
  });

  it('refuses a format it does not know', () => {
    const text = editedModel((doc) => doc.setIn(['environments', 'local', 'wireFormat'], 'protobuf'));
    expect(() => parsePlatformModel(text)).toThrow(/wireFormat/);
  });

  it('writes every environment in Avro (the repository model): locally and on AWS alike', () => {
    for (const env of ['local', 'dev', 'staging', 'prod'] as const)
      expect(wireFormatOf(model, env)).toBe('avro');
    expect(modelText()).not.toContain('wireFormat: json');
  });
});

describe('CDC subjects and their compatibility', () => {
  it('gives every CDC topic a key and a value subject, BACKWARD unless the table says otherwise', () => {
    const subjects = cdcSubjects(model, 'local');
    expect(subjects).toHaveLength(2 * tablesOf(model).length);
    expect(subjects.find((s) => s.subject === 'cdc.trades.mnpi-value')).toEqual({
      subject: 'cdc.trades.mnpi-value',
      topic: 'cdc.trades.mnpi',
      table: 'trades',
      part: 'value',
      compatibility: 'BACKWARD',
    });
    expect(new Set(subjects.map((s) => s.compatibility))).toEqual(new Set(['BACKWARD']));
  });

  it('takes a per-table override', () => {
    const text = editedModel((doc) => doc.setIn(['tables', 'market_data', 'schemaCompatibility'], 'FULL'));
    const subjects = cdcSubjects(parsePlatformModel(text), 'local');
    expect(subjects.filter((s) => s.compatibility === 'FULL').map((s) => s.subject)).toEqual([
      'cdc.market_data.public-key',
      'cdc.market_data.public-value',
    ]);
  });

  it('refuses an unknown rule', () => {
    const text = editedModel((doc) => doc.setIn(['tables', 'trades', 'schemaCompatibility'], 'LENIENT'));
    expect(() => parsePlatformModel(text)).toThrow(/schemaCompatibility/);
  });

  it('has no subjects where the format is JSON', () => {
    expect(cdcSubjects(jsonProd, 'prod')).toEqual([]);
    expect(cdcSubjects(model, 'prod')).toEqual(cdcSubjects(model, 'local'));
  });
});

describe('converters', () => {
  it("Debezium writes Avro in the Confluent wire format, with ids the registry's Confluent API serves", () => {
    const config = deriveDebeziumConnectorConfig(model, 'local', conn).config;
    for (const side of ['key', 'value']) {
      expect(config[`${side}.converter`]).toBe(APICURIO_AVRO_CONVERTER);
      expect(config[`${side}.converter.apicurio.registry.url`]).toBe(registry.urlRef);
      expect(config[`${side}.converter.apicurio.registry.as-confluent`]).toBe('true');
      expect(config[`${side}.converter.apicurio.registry.use-id`]).toBe('contentId');
      expect(config[`${side}.converter.apicurio.registry.headers.enabled`]).toBe('false');
      expect(config[`${side}.converter.apicurio.registry.auto-register`]).toBe('true');
      // Known schemas are kept, so a registry restart does not fail the task at the next lookup.
      expect(Number(config[`${side}.converter.apicurio.registry.check-period-ms`])).toBeGreaterThanOrEqual(
        3_600_000,
      );
    }
    // The unrouted topic prefix has a dash: Avro names may not.
    expect(config['topic.prefix']).toContain('-');
    expect(config['schema.name.adjustment.mode']).toBe('avro');
    expect(
      deriveDebeziumConnectorConfig(jsonProd, 'prod', conn).config['schema.name.adjustment.mode'],
    ).toBeUndefined();
  });

  it('both sinks read with the converters Debezium writes with, and never register a schema', () => {
    const writer = converterKeys(deriveDebeziumConnectorConfig(model, 'local', conn).config);
    for (const sink of deriveSinks(model, 'local')) {
      const reader = converterKeys(deriveIcebergSinkConnectorConfig(sink, glue, { registry }).config);
      expect(Object.keys(reader).sort()).toEqual(Object.keys(writer).sort());
      for (const [k, v] of Object.entries(reader))
        if (!k.endsWith('auto-register')) expect(v).toBe(writer[k]);
      expect(reader['value.converter.apicurio.registry.auto-register']).toBe('false');
    }
  });

  it('keeps schemaless JSON where the environment asks for it, on both ends', () => {
    const debezium = converterKeys(deriveDebeziumConnectorConfig(jsonProd, 'prod', conn).config);
    expect(debezium).toEqual({
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'false',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
    });
    for (const sink of deriveSinks(jsonProd, 'prod'))
      expect(converterKeys(deriveIcebergSinkConnectorConfig(sink, glue).config)).toEqual(debezium);
  });

  it('fails closed: Avro without a registry, or with a registry URL or credential in clear', () => {
    expect(() => deriveDebeziumConnectorConfig(model, 'local', { ...conn, registry: undefined })).toThrow(
      /needs the schema registry/,
    );
    expect(() =>
      deriveConverters('avro', 'write', { urlRef: 'http://registry:8080/apis/registry/v2' }),
    ).toThrow(/URL must be a config-provider reference/);
    expect(() =>
      deriveConverters('avro', 'read', {
        urlRef: registry.urlRef,
        auth: { usernameRef: '${file:/s/r.properties:username}', passwordRef: 'hunter2' },
      }),
    ).toThrow(/password must be a config-provider reference/);
    const withAuth = deriveConverters('avro', 'read', {
      urlRef: registry.urlRef,
      auth: {
        usernameRef: '${file:/s/r.properties:username}',
        passwordRef: '${file:/s/r.properties:password}',
      },
    });
    expect(withAuth['value.converter.apicurio.auth.password']).toBe('${file:/s/r.properties:password}');
  });
});
