/**
 * One Apache Iceberg sink connector per zone: it reads an explicit list of its zone's CDC topics as
 * the zone's own principal and writes each to its table in the zone's raw namespace. The same
 * derivation serves MSK Connect (Glue catalog, S3 with the zone's key) and the local stack (JDBC
 * catalog, S3Proxy), so the lake is written by one configuration shape everywhere.
 */
import type { EnvName, PlatformModel, ZoneName } from '../schema';
import type { ConnectorDefinition } from './debezium';
import { glueDatabaseName } from './lake';
import { principalsIn, tablesInZone } from './tables';
import { icebergControlTopic, topicsInZone } from './topics';

export interface SinkTableRoute {
  /** The CDC topic. */
  readonly topic: string;
  /** The source table (and the Iceberg table's name). */
  readonly table: string;
  /** `<namespace>.<table>`. */
  readonly identifier: string;
}

export interface SinkSpec {
  readonly connectorName: string;
  readonly principal: string;
  readonly zone: ZoneName;
  /** Connect's consumer group for the connector: `connect-<connectorName>`. */
  readonly group: string;
  /** An explicit list: a sink never subscribes by pattern, so a new topic is never picked up by accident. */
  readonly topics: readonly string[];
  /** The zone's raw namespace (the Glue raw database on AWS; a JDBC-catalog namespace locally). */
  readonly namespace: string;
  readonly tables: readonly SinkTableRoute[];
  /** The zone's control topic (classified as the zone: it carries column bounds). */
  readonly controlTopic: string;
  /** Prefix of the per-task control consumer groups (each ends in a random UUID). */
  readonly controlGroupPrefix: string;
  /** Prefix of the coordinator's and workers' transactional ids: per connector, never shared. */
  readonly transactionalPrefix: string;
  readonly commitIntervalMs: number;
}

/** One Iceberg sink per zone, reading only that zone's topics, as the principal that writes the zone. */
export function deriveSinks(model: PlatformModel, env: EnvName): SinkSpec[] {
  return principalsIn(model, env)
    .filter((p) => p.lake?.write && p.kafka?.consume)
    .map((p) => {
      const zone = p.lake!.write!.zones[0]!;
      const group = p.kafka!.consume!.group;
      // Connect names a sink's group `connect-<connector>`: the model's group names the connector.
      const connectorName = group.replace(/^connect-/, '');
      const namespace = glueDatabaseName(model, zone, 'raw');
      return {
        connectorName,
        principal: p.name,
        zone,
        group,
        topics: topicsInZone(model, env, zone).map((t) => t.name),
        namespace,
        tables: tablesInZone(model, zone)
          .map((t) => ({
            topic: topicsInZone(model, env, zone).find((x) => x.table === t.name)!.name,
            table: t.name,
            identifier: `${namespace}.${t.name}`,
          }))
          .sort((a, b) => a.topic.localeCompare(b.topic)),
        controlTopic: icebergControlTopic(model, env, zone).name,
        controlGroupPrefix: `${connectorName}-control-`,
        transactionalPrefix: `${connectorName}-`,
        commitIntervalMs: model.environments[env].lake.commitIntervalMs,
      };
    });
}

/** The transactional-id prefixes the sink's coordinator and workers use (Iceberg appends these). */
export function sinkTransactionalIdPrefixes(sink: SinkSpec): string[] {
  return [`${sink.transactionalPrefix}coordinator-txn-`, `${sink.transactionalPrefix}worker-txn-`];
}

/** Where the zone's tables live and how the sink reaches them; known per environment. */
/**
 * The Iceberg catalog name: the JDBC catalog stores it in every row, and the sinks, the readers and
 * the Glue-backed connectors on AWS must all use the same one.
 */
export function icebergCatalogName(model: PlatformModel): string {
  return model.project;
}

export type IcebergCatalogTarget =
  | {
      /** AWS: the Glue catalog, S3FileIO on the zone's raw bucket with the zone's key. */
      readonly kind: 'glue';
      readonly catalogName: string;
      readonly warehouse: string;
      readonly region: string;
      readonly kmsKeyArn: string;
    }
  | {
      /** Local: Iceberg's JDBC catalog on PostgreSQL, S3FileIO on an S3-compatible server. */
      readonly kind: 'jdbc';
      readonly catalogName: string;
      readonly uri: string;
      readonly user: string;
      /** A config-provider reference, never the password. */
      readonly passwordRef: string;
      readonly warehouse: string;
      readonly region: string;
      readonly s3Endpoint: string;
      readonly accessKeyIdRef: string;
      readonly secretAccessKeyRef: string;
    };

/** SCRAM for the sink's own Kafka clients on a shared, self-managed worker. Omitted on MSK Connect (IAM). */
export interface SinkKafkaAuth {
  readonly username: string;
  /** A config-provider reference, never the password. */
  readonly passwordRef: string;
  readonly mechanism?: 'SCRAM-SHA-512' | 'SCRAM-SHA-256';
  readonly securityProtocol?: 'SASL_PLAINTEXT' | 'SASL_SSL';
}

/** lakewall's transform (in the sink's plugin) that keeps the LSN, transaction id and commit time. */
export const SOURCE_POSITION_TRANSFORM = 'com.lakewall.connect.transforms.SourcePosition';

export interface SinkConverters {
  /** Connector-level key/value converter settings (JSON or Avro through the registry). */
  readonly [key: string]: string;
}

/** Schemaless JSON, as Debezium writes it today. */
export const JSON_SINK_CONVERTERS: SinkConverters = {
  'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'key.converter.schemas.enable': 'false',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter.schemas.enable': 'false',
};

function isReference(v: string): boolean {
  return /^\$\{[a-z]+:[^}]+\}$/.test(v) || /password="\$\{[a-z]+:[^}]+\}"/.test(v);
}

function catalogProps(t: IcebergCatalogTarget): Record<string, string> {
  if (t.kind === 'glue')
    return {
      'iceberg.catalog.catalog-impl': 'org.apache.iceberg.aws.glue.GlueCatalog',
      'iceberg.catalog.warehouse': t.warehouse,
      'iceberg.catalog.io-impl': 'org.apache.iceberg.aws.s3.S3FileIO',
      'iceberg.catalog.client.region': t.region,
      'iceberg.catalog.s3.sse.type': 'kms',
      'iceberg.catalog.s3.sse.key': t.kmsKeyArn,
    };
  for (const [what, v] of [
    ['password', t.passwordRef],
    ['S3 access key id', t.accessKeyIdRef],
    ['S3 secret access key', t.secretAccessKeyRef],
  ] as const)
    if (!isReference(v))
      throw new Error(`the Iceberg JDBC catalog's ${what} must be a config-provider reference`);
  return {
    'iceberg.catalog.catalog-impl': 'org.apache.iceberg.jdbc.JdbcCatalog',
    'iceberg.catalog.uri': t.uri,
    'iceberg.catalog.jdbc.user': t.user,
    'iceberg.catalog.jdbc.password': t.passwordRef,
    // V1 adds view support; the catalog creates its own tables on first use.
    'iceberg.catalog.jdbc.schema-version': 'V1',
    'iceberg.catalog.warehouse': t.warehouse,
    'iceberg.catalog.io-impl': 'org.apache.iceberg.aws.s3.S3FileIO',
    'iceberg.catalog.client.region': t.region,
    'iceberg.catalog.s3.endpoint': t.s3Endpoint,
    'iceberg.catalog.s3.path-style-access': 'true',
    'iceberg.catalog.s3.access-key-id': t.accessKeyIdRef,
    'iceberg.catalog.s3.secret-access-key': t.secretAccessKeyRef,
  };
}

function kafkaAuthProps(auth: SinkKafkaAuth | undefined): Record<string, string> {
  if (!auth) return {};
  if (!isReference(auth.passwordRef))
    throw new Error(`the sink principal's Kafka password must be a config-provider reference`);
  const client = {
    'security.protocol': auth.securityProtocol ?? 'SASL_PLAINTEXT',
    'sasl.mechanism': auth.mechanism ?? 'SCRAM-SHA-512',
    'sasl.jaas.config': `org.apache.kafka.common.security.scram.ScramLoginModule required username="${auth.username}" password="${auth.passwordRef}";`,
  };
  const prefixed = (prefix: string) =>
    Object.fromEntries(Object.entries(client).map(([k, v]) => [`${prefix}${k}`, v]));
  // consumer.override.*: Connect's consumer of the CDC topics. iceberg.kafka.*: the sink's own
  // clients (control topic, commits), which would otherwise log in as the worker.
  return { ...prefixed('consumer.override.'), ...prefixed('admin.override.'), ...prefixed('iceberg.kafka.') };
}

/**
 * The Kafka Connect config of one zone's Iceberg sink. Debezium's envelope is flattened by Iceberg's
 * DebeziumTransform (row + `_cdc`: op, ts, offset, source, target), Kafka's InsertField adds topic
 * and partition; each record goes to the table `_cdc.target` names, which the transform builds as
 * `<zone namespace>.<source table>`: a record can only ever land in its zone's namespace, and a
 * table that was not declared fails the task (auto-create is off). No error tolerance.
 */
export function deriveIcebergSinkConnectorConfig(
  sink: SinkSpec,
  target: IcebergCatalogTarget,
  opts: { kafkaAuth?: SinkKafkaAuth; converters?: SinkConverters } = {},
): ConnectorDefinition {
  return {
    name: sink.connectorName,
    config: {
      'connector.class': 'org.apache.iceberg.connect.IcebergSinkConnector',
      'tasks.max': '1',
      topics: sink.topics.join(','),
      'iceberg.catalog': target.catalogName,
      ...catalogProps(target),
      'iceberg.tables.dynamic-enabled': 'true',
      'iceberg.tables.route-field': '_cdc.target',
      'iceberg.tables.auto-create-enabled': 'false',
      'iceberg.tables.evolve-schema-enabled': 'false',
      'iceberg.control.topic': sink.controlTopic,
      'iceberg.control.group-id-prefix': sink.controlGroupPrefix,
      'iceberg.coordinator.transactional.prefix': sink.transactionalPrefix,
      'iceberg.control.commit.interval-ms': String(sink.commitIntervalMs),
      'iceberg.control.commit.timeout-ms': String(Math.max(30_000, sink.commitIntervalMs)),
      // Order matters: the source position is copied into the row images before DebeziumTransform
      // reduces the envelope to them.
      transforms: 'position,debezium,kafka',
      'transforms.position.type': SOURCE_POSITION_TRANSFORM,
      'transforms.debezium.type': 'org.apache.iceberg.connect.transforms.DebeziumTransform',
      'transforms.debezium.cdc.target.pattern': `${sink.namespace}.{table}`,
      'transforms.kafka.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
      'transforms.kafka.topic.field': '_kafka_topic',
      'transforms.kafka.partition.field': '_kafka_partition',
      ...(opts.converters ?? JSON_SINK_CONVERTERS),
      'errors.tolerance': 'none',
      ...kafkaAuthProps(opts.kafkaAuth),
    },
  };
}
