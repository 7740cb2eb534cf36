import type { EnvName, PlatformModel, ZoneName } from '../schema';
import type { ConnectorDefinition } from './debezium';
import { RAW_PATH_FORMAT, RAW_TOPICS_DIR } from './lake';
import { principalsIn } from './tables';
import { topicsInZone } from './topics';

export interface SinkSpec {
  readonly connectorName: string;
  readonly principal: string;
  readonly zone: ZoneName;
  readonly group: string;
  /** An explicit list: a sink never subscribes by pattern, so a new topic is never picked up by accident. */
  readonly topics: readonly string[];
  readonly pathFormat: string;
}

/** One S3 sink per zone, reading only that zone's topics, as the principal that writes the zone. */
export function deriveSinks(model: PlatformModel, env: EnvName): SinkSpec[] {
  return principalsIn(model, env)
    .filter((p) => p.lake?.write && p.kafka?.consume)
    .map((p) => {
      const zone = p.lake!.write!.zones[0]!;
      const group = p.kafka!.consume!.group;
      return {
        connectorName: group.replace(/^connect-/, ''),
        principal: p.name,
        zone,
        group,
        topics: topicsInZone(model, env, zone).map((t) => t.name),
        pathFormat: RAW_PATH_FORMAT,
      };
    });
}

/** Where one zone's sink writes, known only once the infrastructure exists. */
export interface S3SinkTarget {
  /** The zone's raw bucket. */
  readonly bucket: string;
  readonly region: string;
  /** The zone's key: the bucket policy refuses objects encrypted with anything else. */
  readonly kmsKeyArn: string;
  /**
   * SCRAM credentials for the sink's own principal, for a self-managed Connect worker that runs
   * connectors as their own principals. Omitted on MSK Connect, which authenticates with IAM.
   */
  readonly kafkaAuth?: {
    readonly username: string;
    readonly password: string;
    readonly mechanism?: 'SCRAM-SHA-512' | 'SCRAM-SHA-256';
    readonly securityProtocol?: 'SASL_PLAINTEXT' | 'SASL_SSL';
  };
}

/**
 * Rows reach the lake within this many milliseconds of their commit to Kafka, whatever the traffic:
 * the sink closes its open file on wall-clock time, not only when it fills.
 */
export const SINK_ROTATE_INTERVAL_MS = 10_000;

/**
 * The Kafka Connect config of one zone's S3 sink (Confluent's S3 sink connector, as run on MSK
 * Connect): an explicit topic list, JSON objects in the raw layer under the shared key layout,
 * SSE-KMS with the zone's key, and no error tolerance, so a record it cannot write stops the task
 * instead of being skipped.
 */
export function deriveS3SinkConnectorConfig(sink: SinkSpec, target: S3SinkTarget): ConnectorDefinition {
  const auth = target.kafkaAuth;
  const overrides: Record<string, string> = auth
    ? {
        'consumer.override.security.protocol': auth.securityProtocol ?? 'SASL_PLAINTEXT',
        'consumer.override.sasl.mechanism': auth.mechanism ?? 'SCRAM-SHA-512',
        'consumer.override.sasl.jaas.config': `org.apache.kafka.common.security.scram.ScramLoginModule required username="${auth.username}" password="${auth.password}";`,
      }
    : {};
  return {
    name: sink.connectorName,
    config: {
      'connector.class': 'io.confluent.connect.s3.S3SinkConnector',
      'tasks.max': String(Math.max(1, sink.topics.length)),
      topics: sink.topics.join(','),
      's3.bucket.name': target.bucket,
      's3.region': target.region,
      's3.ssea.name': 'aws:kms',
      's3.sse.kms.key.id': target.kmsKeyArn,
      'storage.class': 'io.confluent.connect.s3.storage.S3Storage',
      'format.class': 'io.confluent.connect.s3.format.json.JsonFormat',
      'topics.dir': RAW_TOPICS_DIR,
      'partitioner.class': 'io.confluent.connect.storage.partitioner.TimeBasedPartitioner',
      'path.format': sink.pathFormat,
      'partition.duration.ms': '3600000',
      locale: 'en-US',
      timezone: 'UTC',
      'timestamp.extractor': 'Record',
      'flush.size': '10000',
      'rotate.schedule.interval.ms': String(SINK_ROTATE_INTERVAL_MS),
      'behavior.on.null.values': 'ignore',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'false',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      'errors.tolerance': 'none',
      ...overrides,
    },
  };
}
