import {
  deriveAcls,
  deriveAthenaAccess,
  debeziumHeartbeatTopic,
  deriveDebeziumConnectorConfig,
  deriveGlueDatabases,
  deriveKafkaUsers,
  deriveLakeBuckets,
  lakeBucketName,
  deriveLeakRules,
  deriveIcebergTables,
  deriveLakeMaintenance,
  icebergTableLocation,
  deriveIcebergSinkConnectorConfig,
  deriveSinks,
  deriveSourceDdl,
  deriveCdcTopics,
  deriveTopics,
  deriveMskIamGrants,
  loadPlatformModel,
  parsePlatformModel,
} from '../src';
import { editedModel } from './fixtures';

const model = loadPlatformModel();
const conn = {
  hostname: 'db',
  port: 5432,
  user: 'debezium',
  password: 'pw',
  kafkaUsername: 'debezium',
  kafkaPassword: 'kpw',
  registry: { urlRef: '${file:/s/registry.properties:url}' },
};

describe('topics', () => {
  it('puts each table on one topic in its own zone', () => {
    expect(deriveCdcTopics(model, 'local').map((t) => [t.name, t.zone])).toEqual([
      ['cdc.cdc_heartbeat.public', 'public'],
      ['cdc.market_data.public', 'public'],
      ['cdc.orders.mnpi', 'mnpi'],
      ['cdc.positions.mnpi', 'mnpi'],
      ['cdc.reference_data.public', 'public'],
      ['cdc.trades.mnpi', 'mnpi'],
    ]);
  });

  it('sizes topics per environment and keeps class configs', () => {
    const prod = deriveTopics(model, 'prod').find((t) => t.name === 'cdc.trades.mnpi')!;
    expect(prod).toMatchObject({ partitions: 12, replicationFactor: 3 });
    expect(prod.configs).toMatchObject({ 'min.insync.replicas': '2', 'compression.type': 'zstd' });
    const staging = deriveCdcTopics(model, 'staging')[0]!;
    expect(staging.partitions).toBe(model.kafka.topicClasses.cdc!.partitions);
    expect(deriveCdcTopics(model, 'local')[0]).toMatchObject({ partitions: 3, replicationFactor: 1 });
  });
});

describe('ACLs', () => {
  const acls = deriveAcls(model, 'local');
  const grants = (principal: string) =>
    acls
      .filter((a) => a.principal === `User:${principal}`)
      .map((a) => `${a.resourceType}:${a.patternType}:${a.resourceName}:${a.operation}`);

  it('lets the public sink read only public topics, its control topic and its own groups', () => {
    expect(grants('sink-public').sort()).toEqual([
      'GROUP:LITERAL:connect-lakewall-sink-public-coord:DESCRIBE',
      'GROUP:LITERAL:connect-lakewall-sink-public-coord:READ',
      'GROUP:LITERAL:connect-lakewall-sink-public:DESCRIBE',
      'GROUP:LITERAL:connect-lakewall-sink-public:READ',
      'GROUP:PREFIXED:lakewall-sink-public-control-:DESCRIBE',
      'GROUP:PREFIXED:lakewall-sink-public-control-:READ',
      'TOPIC:LITERAL:cdc._iceberg_control.public:DESCRIBE',
      'TOPIC:LITERAL:cdc._iceberg_control.public:READ',
      'TOPIC:LITERAL:cdc._iceberg_control.public:WRITE',
      'TOPIC:LITERAL:cdc.cdc_heartbeat.public:DESCRIBE',
      'TOPIC:LITERAL:cdc.cdc_heartbeat.public:READ',
      'TOPIC:LITERAL:cdc.market_data.public:DESCRIBE',
      'TOPIC:LITERAL:cdc.market_data.public:READ',
      'TOPIC:LITERAL:cdc.reference_data.public:DESCRIBE',
      'TOPIC:LITERAL:cdc.reference_data.public:READ',
      'TRANSACTIONAL_ID:PREFIXED:lakewall-sink-public-coordinator-txn-:DESCRIBE',
      'TRANSACTIONAL_ID:PREFIXED:lakewall-sink-public-coordinator-txn-:WRITE',
      'TRANSACTIONAL_ID:PREFIXED:lakewall-sink-public-worker-txn-:DESCRIBE',
      'TRANSACTIONAL_ID:PREFIXED:lakewall-sink-public-worker-txn-:WRITE',
    ]);
  });

  it('grants only ALLOW rules, and prefixed topic grants only to MNPI-cleared principals', () => {
    expect(acls.every((a) => a.permission === 'ALLOW')).toBe(true);
    const prefixed = acls.filter((a) => a.patternType === 'PREFIXED');
    // Prefixed topic grants (prefix capture's raw material) belong to MNPI-cleared principals only:
    // the topic manager's, and the monitor's describe-only one. The sinks' prefixed group and
    // transactional-id grants lie under each sink's own connector name.
    for (const a of prefixed.filter((x) => x.resourceType === 'TOPIC'))
      expect(model.principals[a.principal.replace(/^User:/, '')]?.clearance).toBe('mnpi');
    for (const sink of deriveSinks(model, 'local')) {
      const own = prefixed.filter((a) => a.principal === `User:${sink.principal}`);
      expect(own.length).toBeGreaterThan(0);
      for (const a of own) expect(a.resourceName.startsWith(sink.connectorName)).toBe(true);
    }
    const prefixedTopics = prefixed.filter((a) => a.resourceType === 'TOPIC').map((a) => a.principal);
    expect(new Set(prefixedTopics)).toEqual(new Set(['User:bootstrapper', 'User:monitor']));
  });

  it('lets debezium write every CDC topic and its heartbeat topic, and read none', () => {
    const debezium = grants('debezium');
    expect(debezium.filter((g) => g.endsWith(':WRITE'))).toHaveLength(7);
    expect(debezium.some((g) => g.endsWith(':READ'))).toBe(false);
  });

  it('lets only debezium create, and only its heartbeat topic, outside the managed prefix', () => {
    const heartbeat = debeziumHeartbeatTopic(model);
    expect(
      grants('debezium')
        .filter((g) => g.includes(heartbeat))
        .sort(),
    ).toEqual([
      `TOPIC:LITERAL:${heartbeat}:CREATE`,
      `TOPIC:LITERAL:${heartbeat}:DESCRIBE`,
      `TOPIC:LITERAL:${heartbeat}:WRITE`,
    ]);
    expect(grants('debezium').filter((g) => g.endsWith(':CREATE'))).toEqual([
      `TOPIC:LITERAL:${heartbeat}:CREATE`,
    ]);
    expect(new Set(acls.filter((a) => a.resourceName === heartbeat).map((a) => a.principal))).toEqual(
      new Set(['User:debezium']),
    );
  });

  it('gives the outsider nothing, and only in the local environment', () => {
    expect(grants('outsider')).toEqual([]);
    expect(deriveKafkaUsers(model, 'local').map((u) => u.name)).toContain('outsider');
    expect(deriveKafkaUsers(model, 'prod').map((u) => u.name)).not.toContain('outsider');
  });

  it('gives Cruise Control metadata of the cluster and every topic, never data or a partition move, and only on AWS', () => {
    const dev = deriveAcls(model, 'dev')
      .filter((a) => a.principal === 'User:cruise-control')
      .map((a) => `${a.resourceType}:${a.patternType}:${a.resourceName}:${a.operation}`)
      .sort();
    expect(dev).toEqual([
      'CLUSTER:LITERAL:kafka-cluster:DESCRIBE',
      'CLUSTER:LITERAL:kafka-cluster:DESCRIBE_CONFIGS',
      'TOPIC:LITERAL:*:DESCRIBE',
      'TOPIC:LITERAL:*:DESCRIBE_CONFIGS',
    ]);
    expect(model.principals['cruise-control']?.clearance).toBe('mnpi');
    expect(grants('cruise-control')).toEqual([]);
    expect(deriveKafkaUsers(model, 'local').map((u) => u.name)).not.toContain('cruise-control');
    expect(deriveKafkaUsers(model, 'prod').map((u) => u.name)).toContain('cruise-control');
  });

  it("translates Cruise Control's grants to MSK IAM actions without ALTER", () => {
    const actions = deriveMskIamGrants(model, 'prod', 'cruise-control').flatMap((g) => g.actions);
    expect(actions).toContain('kafka-cluster:DescribeClusterDynamicConfiguration');
    expect(actions).toContain('kafka-cluster:DescribeTopic');
    expect(actions.filter((a) => /Alter|Write|Read|Create|Delete/.test(a))).toEqual([]);
  });

  it('adds a literal grant for every new MNPI table, so no prefix is needed', () => {
    const text = editedModel((doc) =>
      doc.setIn(
        ['tables', 'allocations'],
        doc.createNode({
          classification: 'mnpi',
          description: 'Block allocations.',
          primaryKey: ['id'],
          columns: [{ name: 'id', type: 'bigint' }],
        }),
      ),
    );
    const extended = deriveAcls(parsePlatformModel(text), 'local');
    const onNew = extended.filter((a) => a.resourceName === 'cdc.allocations.mnpi').map((a) => a.principal);
    expect(new Set(onNew)).toEqual(
      new Set(['User:debezium', 'User:sink-mnpi', 'User:monitor', 'User:admin-api']),
    );
  });
});

describe('Debezium routing', () => {
  const { name, config } = deriveDebeziumConnectorConfig(model, 'local', conn);
  const route = (topic: string): string | undefined => {
    for (const id of config.transforms!.split(',')) {
      const m = new RegExp(config[`transforms.${id}.regex`]!).exec(topic);
      if (m) return config[`transforms.${id}.replacement`]!.replace('$1', m[1]!);
    }
    return undefined;
  };

  it('routes each table to its zone topic', () => {
    expect(name).toBe('lakewall-source-trading');
    expect(route('lakewall-unrouted.public.trades')).toBe('cdc.trades.mnpi');
    expect(route('lakewall-unrouted.public.positions')).toBe('cdc.positions.mnpi');
    expect(route('lakewall-unrouted.public.market_data')).toBe('cdc.market_data.public');
  });

  it('fails closed: an unknown table is neither captured nor routed into the managed prefix', () => {
    expect(route('lakewall-unrouted.public.trades_archive')).toBeUndefined();
    expect(config['table.include.list']!.split(',')).toHaveLength(6);
    expect(config['topic.prefix']!.startsWith(model.kafka.managedTopicPrefix)).toBe(false);
  });

  it('drops restricted columns of public tables at the source', () => {
    expect(config['column.exclude.list']).toBe('public\\.reference_data\\.internal_credit_rating');
  });

  it('writes as its own principal', () => {
    expect(config['producer.override.sasl.jaas.config']).toContain('username="debezium"');
    expect(config['publication.name']).toBe(model.source.publication);
  });

  it('heartbeats to a topic outside the managed prefix that no router, sink or table takes', () => {
    const heartbeat = debeziumHeartbeatTopic(model);
    expect(heartbeat).toBe('_lakewall.heartbeat.lakewall-unrouted');
    expect(`${config['topic.heartbeat.prefix']}.${config['topic.prefix']}`).toBe(heartbeat);
    expect(config['heartbeat.interval.ms']).toBe(String(model.source.heartbeat.intervalMs));
    expect(heartbeat.startsWith(model.kafka.managedTopicPrefix)).toBe(false);
    expect(route(heartbeat)).toBeUndefined();
    for (const env of ['local', 'prod'] as const) {
      expect(deriveTopics(model, env).map((t) => t.name)).not.toContain(heartbeat);
      expect(deriveSinks(model, env).flatMap((s) => s.topics)).not.toContain(heartbeat);
      expect(deriveLeakRules(model, env).map((r) => r.topic)).not.toContain(heartbeat);
    }
    expect(deriveSinks(model, 'prod').flatMap((s) => s.tables.map((t) => t.topic))).not.toContain(heartbeat);
  });

  it('lets Connect create the heartbeat topic as the Debezium principal, sized per environment', () => {
    expect(config['topic.creation.default.partitions']).toBe('1');
    expect(config['topic.creation.default.replication.factor']).toBe('1');
    const prod = deriveDebeziumConnectorConfig(model, 'prod', conn).config;
    expect(prod['topic.creation.default.replication.factor']).toBe(
      String(model.environments.prod.kafka.replicationFactor),
    );
    for (const key of ['security.protocol', 'sasl.mechanism', 'sasl.jaas.config']) {
      expect(config[`admin.override.${key}`]).toBe(config[`producer.override.${key}`]);
    }
    expect(config['admin.override.sasl.jaas.config']).toContain('username="debezium"');
  });
});

describe('sinks', () => {
  it('gives each zone one sink reading exactly that zone topics', () => {
    const sinks = deriveSinks(model, 'dev');
    expect(sinks.map((s) => [s.connectorName, s.zone, s.topics])).toEqual([
      ['lakewall-sink-mnpi', 'mnpi', ['cdc.orders.mnpi', 'cdc.positions.mnpi', 'cdc.trades.mnpi']],
      [
        'lakewall-sink-public',
        'public',
        ['cdc.cdc_heartbeat.public', 'cdc.market_data.public', 'cdc.reference_data.public'],
      ],
    ]);
  });
});

describe('Iceberg sink connector config', () => {
  const sinks = deriveSinks(model, 'local');
  const [mnpiSink, publicSink] = sinks;
  const jdbc = {
    kind: 'jdbc' as const,
    catalogName: 'lakewall',
    uri: 'jdbc:postgresql://127.0.0.1:5432/iceberg_catalog',
    user: 'iceberg_catalog',
    passwordRef: '${file:/s/pg.properties:password}',
    warehouse: 's3://lakewall-raw-mnpi-local/',
    region: 'us-east-1',
    s3Endpoint: 'http://127.0.0.1:9000',
    accessKeyIdRef: '${file:/s/s3.properties:access-key-id}',
    secretAccessKeyRef: '${file:/s/s3.properties:secret-access-key}',
  };
  const kafkaAuth = { username: 'sink-mnpi', passwordRef: '${file:/s/kafka-sink-mnpi.properties:password}' };
  const registry = { urlRef: '${file:/s/registry.properties:url}' };
  const { name, config } = deriveIcebergSinkConnectorConfig(mnpiSink!, jdbc, { kafkaAuth, registry });

  it('reads an explicit list of its own zone topics, never a pattern', () => {
    expect(name).toBe('lakewall-sink-mnpi');
    expect(config.topics).toBe('cdc.orders.mnpi,cdc.positions.mnpi,cdc.trades.mnpi');
    expect(config['topics.regex']).toBeUndefined();
    expect(config['connector.class']).toBe('org.apache.iceberg.connect.IcebergSinkConnector');
  });

  it("routes each record into its zone's raw namespace only, to declared tables, failing on anything else", () => {
    expect(config['transforms.debezium.cdc.target.pattern']).toBe('lakewall_raw_mnpi.{table}');
    expect(config['iceberg.tables.route-field']).toBe('_cdc.target');
    expect(config['iceberg.tables.auto-create-enabled']).toBe('false');
    expect(config['errors.tolerance']).toBe('none');
    expect(mnpiSink!.tables.map((t) => t.identifier)).toEqual([
      'lakewall_raw_mnpi.orders',
      'lakewall_raw_mnpi.positions',
      'lakewall_raw_mnpi.trades',
    ]);
  });

  it('uses its own control topic, groups and transactional ids, and commits at the environment interval', () => {
    expect(config['iceberg.control.topic']).toBe('cdc._iceberg_control.mnpi');
    expect(config['iceberg.control.group-id-prefix']).toBe('lakewall-sink-mnpi-control-');
    expect(config['iceberg.coordinator.transactional.prefix']).toBe('lakewall-sink-mnpi-');
    expect(config['iceberg.control.commit.interval-ms']).toBe('10000');
    expect(deriveSinks(model, 'prod')[0]!.commitIntervalMs).toBe(300000);
    expect(publicSink!.controlTopic).toBe('cdc._iceberg_control.public');
  });

  it("authenticates the sink's own Kafka clients as the sink principal, through a reference", () => {
    for (const prefix of ['consumer.override.', 'iceberg.kafka.'])
      expect(config[`${prefix}sasl.jaas.config`]).toContain(
        'username="sink-mnpi" password="${file:/s/kafka-sink-mnpi.properties:password}"',
      );
    expect(() =>
      deriveIcebergSinkConnectorConfig(mnpiSink!, jdbc, {
        kafkaAuth: { ...kafkaAuth, passwordRef: 'clear' },
        registry,
      }),
    ).toThrow(/config-provider reference/);
    expect(() =>
      deriveIcebergSinkConnectorConfig(mnpiSink!, { ...jdbc, passwordRef: 'clear' }, { registry }),
    ).toThrow(/config-provider reference/);
  });

  it("writes with the zone's key on AWS (Glue catalog)", () => {
    const glue = deriveIcebergSinkConnectorConfig(
      mnpiSink!,
      {
        kind: 'glue',
        catalogName: 'lakewall',
        warehouse: 's3://raw-mnpi/',
        region: 'us-east-1',
        kmsKeyArn: 'arn:aws:kms:us-east-1:1:key/mnpi',
      },
      { registry },
    ).config;
    expect(glue['iceberg.catalog.catalog-impl']).toBe('org.apache.iceberg.aws.glue.GlueCatalog');
    expect(glue['iceberg.catalog.s3.sse.key']).toBe('arn:aws:kms:us-east-1:1:key/mnpi');
    expect(glue['iceberg.kafka.sasl.jaas.config']).toBeUndefined();
  });
});

describe('Iceberg control topics', () => {
  it('gives each sink zone one control topic, classified as that zone, managed with the CDC topics', () => {
    const control = deriveTopics(model, 'local').filter((t) => t.topicClass === 'iceberg-control');
    expect(control.map((t) => [t.name, t.zone, t.partitions])).toEqual([
      ['cdc._iceberg_control.mnpi', 'mnpi', 1],
      ['cdc._iceberg_control.public', 'public', 1],
    ]);
    expect(control.every((t) => t.name.startsWith(model.kafka.managedTopicPrefix))).toBe(true);
  });

  it('is never a CDC topic: Debezium does not write it and readers of a zone do not consume it', () => {
    const acls = deriveAcls(model, 'local');
    const onControl = acls.filter((a) => a.resourceName.startsWith('cdc._iceberg_control'));
    expect([...new Set(onControl.map((a) => `${a.principal} ${a.resourceName}`))].sort()).toEqual(
      [
        'User:bootstrapper cdc.',
        'User:sink-mnpi cdc._iceberg_control.mnpi',
        'User:sink-public cdc._iceberg_control.public',
      ].filter((x) => !x.endsWith('cdc.')),
    );
  });

  it('grants each sink its own groups and transactional ids by prefix, none shared across zones', () => {
    const acls = deriveAcls(model, 'local').filter((a) => a.principal === 'User:sink-public');
    const prefixed = acls.filter((a) => a.patternType === 'PREFIXED').map((a) => a.resourceName);
    expect([...new Set(prefixed)].sort()).toEqual([
      'lakewall-sink-public-control-',
      'lakewall-sink-public-coordinator-txn-',
      'lakewall-sink-public-worker-txn-',
    ]);
    expect(acls.some((a) => a.resourceName.includes('mnpi'))).toBe(false);
  });
});

describe('lake, catalog and Athena', () => {
  it('has six buckets and six Glue databases', () => {
    expect(deriveLakeBuckets(model).map((b) => b.id)).toEqual([
      'raw-mnpi',
      'curated-mnpi',
      'analytics-mnpi',
      'raw-public',
      'curated-public',
      'analytics-public',
    ]);
    expect(deriveGlueDatabases(model).map((d) => d.name)).toContain('lakewall_analytics_mnpi');
  });

  it('names each bucket by project, layer, zone and environment, with the account in the cloud', () => {
    expect(lakeBucketName(model, 'local', { zone: 'mnpi', layer: 'raw' })).toBe('lakewall-raw-mnpi-local');
    expect(lakeBucketName(model, 'prod', { zone: 'public', layer: 'analytics' })).toBe(
      'lakewall-analytics-public-prod-333333333333',
    );
    const names = deriveLakeBuckets(model).map((b) => lakeBucketName(model, 'dev', b));
    expect(new Set(names).size).toBe(6);
  });

  it('never catalogues a restricted column', () => {
    const reference = deriveIcebergTables(model).find((t) => t.name === 'reference_data')!;
    expect(reference.namespace).toBe('lakewall_raw_public');
    expect(reference.schema.fields.map((c) => c.name)).not.toContain('internal_credit_rating');
    expect(reference.schema.fields.find((c) => c.name === 'lot_size')!.type).toBe('int');
  });

  it('places each Iceberg table under its namespace in the bucket lakeBucketName names', () => {
    const trades = deriveIcebergTables(model).find((t) => t.name === 'trades')!;
    const bucket = lakeBucketName(model, 'prod', { zone: trades.zone, layer: 'raw' });
    expect(icebergTableLocation(bucket, trades)).toBe(
      's3://lakewall-raw-mnpi-prod-333333333333/lakewall_raw_mnpi/trades/',
    );
  });

  it('keeps snapshots for the retention period and orphan files for days, per environment', () => {
    for (const env of ['local', 'dev', 'prod'] as const) {
      const retention = model.environments[env].lake.retentionDays;
      const m = deriveLakeMaintenance(model, env);
      expect(m.snapshotRetentionDays).toBe(retention);
      expect(m.snapshotsToRetain).toBeGreaterThanOrEqual(1);
      expect(m.orphanFileRetentionDays).toBeLessThanOrEqual(retention);
      expect(m.orphanFileRetentionDays).toBeGreaterThanOrEqual(1);
    }
    expect(deriveLakeMaintenance(model, 'prod').snapshotRetentionDays).toBe(2555);
  });

  it('gives each human role exactly its zones and layers', () => {
    const access = Object.fromEntries(deriveAthenaAccess(model, 'prod').map((a) => [a.principal, a]));
    expect(access['data-analysts']!.glueDatabases).toEqual(['lakewall_analytics_public']);
    expect(access['data-analysts']!.mfa).toBe(false);
    expect(access['finance-analysts']!.glueDatabases).toEqual([
      'lakewall_analytics_mnpi',
      'lakewall_analytics_public',
    ]);
    expect(access['data-engineers']!.buckets).toHaveLength(6);
    expect(access['data-engineers']!.mfa).toBe(true);
  });
});

describe('source DDL', () => {
  const ddl = deriveSourceDdl(model);
  it('creates every table with its key and a publication over exactly those tables', () => {
    expect(ddl).toContain('CREATE TABLE IF NOT EXISTS "public"."positions"');
    expect(ddl).toContain('PRIMARY KEY ("account_id", "instrument_id")');
    expect(ddl).toMatch(/CREATE PUBLICATION "lakewall_cdc" FOR TABLE "public"."trades", "public"."orders"/);
    expect(ddl).toContain('"limit_price" numeric(20,8),');
    expect(ddl).toContain('"quantity" numeric(20,8) NOT NULL');
  });
});

describe('leak rules', () => {
  it('lists allowed and forbidden fields and who is cleared', () => {
    const rules = Object.fromEntries(deriveLeakRules(model, 'local').map((r) => [r.topic, r]));
    expect(rules['cdc.reference_data.public']!.forbiddenFields).toEqual(['internal_credit_rating']);
    expect(rules['cdc.reference_data.public']!.allowedFields).not.toContain('internal_credit_rating');
    expect(rules['cdc.trades.mnpi']!.clearedPrincipals).not.toContain('sink-public');
    expect(rules['cdc.trades.mnpi']!.clearedPrincipals).toContain('sink-mnpi');
  });
});
