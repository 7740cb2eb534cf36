import type { EnvName, PlatformModel } from '../schema';
import { ZONES } from '../schema';
import { principalsIn, restrictedColumns, tablesInZone, tablesOf, topicName } from './tables';

export interface DebeziumConnection {
  readonly hostname: string;
  readonly port: number;
  readonly database?: string;
  readonly user: string;
  /** A literal password or, better, a config-provider reference such as ${secretsmanager:...}. */
  readonly password: string;
  readonly kafkaUsername: string;
  readonly kafkaPassword: string;
  readonly saslMechanism?: 'SCRAM-SHA-512' | 'SCRAM-SHA-256';
  readonly securityProtocol?: 'SASL_PLAINTEXT' | 'SASL_SSL';
}

export interface ConnectorDefinition {
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
}

/** The source connector's name. */
export function debeziumConnectorName(model: PlatformModel): string {
  return `${model.project}-source-${model.source.database}`;
}

/**
 * Debezium writes every change first under an unrouted prefix that lies outside the managed prefix
 * and has no ACL, then RegexRouter moves each model table to its zone topic. A table that is not in
 * the model is not captured, and if one ever were, its unrouted topic has no grant: writes fail
 * closed instead of landing on a readable topic.
 */
export function unroutedTopicPrefix(model: PlatformModel): string {
  return `${model.project}-unrouted`;
}

/**
 * The topic Debezium writes its heartbeats to: Debezium names it
 * `<topic.heartbeat.prefix>.<topic.prefix>`. No RegexRouter matches it (they match only
 * `<unrouted prefix>.<schema>.<model table>`), so it stays outside the managed prefix, the zone
 * topics, the sinks, the lake and the leak rules; Kafka Connect creates it, as the Debezium
 * principal, which may create this one topic and no other.
 */
export function debeziumHeartbeatTopic(model: PlatformModel): string {
  return `${model.source.heartbeat.topicPrefix}.${unroutedTopicPrefix(model)}`;
}

/**
 * The Kafka principal the Debezium source connector writes as: the model's one principal with
 * kafka.produce in `env`; undefined unless there is exactly one.
 */
export function cdcSourcePrincipal(model: PlatformModel, env: EnvName): string | undefined {
  const producers = principalsIn(model, env).filter((p) => (p.kafka?.produce?.length ?? 0) > 0);
  return producers.length === 1 ? producers[0]!.name : undefined;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function deriveDebeziumConnectorConfig(
  model: PlatformModel,
  env: EnvName,
  conn: DebeziumConnection,
): ConnectorDefinition {
  const schema = model.source.schema;
  const tables = tablesOf(model);
  const prefix = unroutedTopicPrefix(model);
  const mechanism = conn.saslMechanism ?? 'SCRAM-SHA-512';
  const securityProtocol = conn.securityProtocol ?? 'SASL_PLAINTEXT';
  const jaas = `org.apache.kafka.common.security.scram.ScramLoginModule required username="${conn.kafkaUsername}" password="${conn.kafkaPassword}";`;

  const routes: Record<string, string> = {};
  const routeNames: string[] = [];
  for (const zone of ZONES) {
    const zoneTables = tablesInZone(model, zone).map((t) => t.name);
    if (zoneTables.length === 0) continue;
    const id = `route_${zone}`;
    routeNames.push(id);
    routes[`transforms.${id}.type`] = 'org.apache.kafka.connect.transforms.RegexRouter';
    routes[`transforms.${id}.regex`] =
      `^${escapeRegex(`${prefix}.${schema}.`)}(${zoneTables.map(escapeRegex).join('|')})$`;
    routes[`transforms.${id}.replacement`] = topicName(model, '$1', zone);
  }

  const excluded = tables.flatMap((t) => restrictedColumns(t).map((c) => `${schema}.${t.name}.${c.name}`));

  return {
    name: debeziumConnectorName(model),
    config: {
      'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
      'tasks.max': '1',
      'plugin.name': 'pgoutput',
      'database.hostname': conn.hostname,
      'database.port': String(conn.port),
      'database.dbname': conn.database ?? model.source.database,
      'database.user': conn.user,
      'database.password': conn.password,
      'topic.prefix': prefix,
      'schema.include.list': schema,
      'table.include.list': tables.map((t) => `${escapeRegex(`${schema}.${t.name}`)}`).join(','),
      // Restricted columns are dropped at the source, so they never reach a topic.
      ...(excluded.length > 0 ? { 'column.exclude.list': excluded.map(escapeRegex).join(',') } : {}),
      'publication.name': model.source.publication,
      'publication.autocreate.mode': 'disabled',
      'slot.name': model.source.slot,
      'snapshot.mode': 'initial',
      'decimal.handling.mode': 'string',
      'time.precision.mode': 'connect',
      'tombstones.on.delete': 'true',
      transforms: routeNames.join(','),
      ...routes,
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'false',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      // Heartbeats confirm the latest LSN even when no captured table changes (RDS WAL retention).
      'heartbeat.interval.ms': String(model.source.heartbeat.intervalMs),
      'topic.heartbeat.prefix': model.source.heartbeat.topicPrefix,
      ...heartbeatActionQuery(model),
      // Connect creates the heartbeat topic with the connector's admin client. The Debezium
      // principal may CREATE only that topic; the CDC topics stay the bootstrapper's.
      'topic.creation.default.replication.factor': String(model.environments[env].kafka.replicationFactor),
      'topic.creation.default.partitions': '1',
      'producer.override.security.protocol': securityProtocol,
      'producer.override.sasl.mechanism': mechanism,
      'producer.override.sasl.jaas.config': jaas,
      'producer.override.enable.idempotence': 'true',
      'producer.override.acks': 'all',
      'admin.override.security.protocol': securityProtocol,
      'admin.override.sasl.mechanism': mechanism,
      'admin.override.sasl.jaas.config': jaas,
    },
  };
}

/**
 * Debezium's heartbeat action query: with each heartbeat it upserts the one row of the model's
 * heartbeat table, so this database writes WAL and the slot's confirmed position moves even when
 * only other databases on the instance are busy (an idle source otherwise pins WAL on RDS). The
 * change is captured like any other table's.
 */
export function heartbeatActionQuery(model: PlatformModel): Record<string, string> {
  const name = model.source.heartbeat.table;
  const table = name ? tablesOf(model).find((t) => t.name === name) : undefined;
  if (!table) return {};
  const key = table.primaryKey[0]!;
  const time = table.columns.filter((c) => c.type === 'timestamptz').map((c) => c.name);
  const q = (id: string) => `"${id}"`;
  return {
    'heartbeat.action.query':
      `INSERT INTO ${q(model.source.schema)}.${q(table.name)} (${[key, ...time].map(q).join(', ')}) ` +
      `VALUES (1, ${time.map(() => 'now()').join(', ')}) ` +
      `ON CONFLICT (${q(key)}) DO UPDATE SET ${time.map((c) => `${q(c)} = EXCLUDED.${q(c)}`).join(', ')}`,
  };
}
