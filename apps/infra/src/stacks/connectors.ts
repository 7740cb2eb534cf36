import {
  cdcSourcePrincipal,
  deriveDebeziumConnectorConfig,
  deriveIcebergSinkConnectorConfig,
  icebergCatalogName,
  deriveSinks,
  type PlatformModel,
  secretsManagerRef,
  type SchemaRegistryTarget,
  type ZoneName,
} from '@lakewall/platform-model';
import type { CloudEnvName } from '../environment-config';
import type { ConnectPluginId } from './connect-plugins';

/** Where the connectors of one environment connect, known only once the infrastructure exists. */
export interface ConnectorTargets {
  readonly database: {
    readonly hostname: string;
    readonly port: number;
    /** The Debezium role's secret ({"username","password"}), read by the config provider. */
    readonly secretArn: string;
  };
  readonly region: string;
  /**
   * The schema registry, where the model's wire format is Avro: the secret whose `url` key holds its
   * v2 API URL, read by the config provider. By name, known at synthesis: a reference must be one
   * `${provider:path:key}`, which an ARN token (itself `${Token[...]}`) would not be.
   */
  readonly schemaRegistry: { readonly secretName: string };
  /** The raw bucket and key a zone's sink writes. */
  sinkTarget(zone: ZoneName): { readonly bucket: string; readonly kmsKeyArn: string };
}

/** One MSK Connect connector: its model principal, its plugin and its configuration. */
export interface MskConnectorSpec {
  /** The name before the replacement suffix (the model's connector name). */
  readonly baseName: string;
  /** The model principal whose Kafka grants the connector's execution role gets. */
  readonly principal: string;
  readonly zone: ZoneName | 'all';
  readonly plugin: ConnectPluginId;
  readonly config: Readonly<Record<string, string>>;
}

/**
 * Client overrides that make a connector authenticate with SCRAM: MSK Connect authenticates every
 * client of the worker with IAM as the connector's execution role, so they are dropped.
 */
const SCRAM_OVERRIDE = /^(producer|consumer|admin)\.override\.(security\.protocol|sasl\.)/;

function forIamAuth(config: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).filter(([key]) => !SCRAM_OVERRIDE.test(key)));
}

/**
 * The connectors of an environment on MSK Connect, from the same model derivations the local stack
 * uses: Debezium and one sink per zone. This is the one place that picks the sink derivation.
 */
export function deriveMskConnectors(
  model: PlatformModel,
  env: CloudEnvName,
  targets: ConnectorTargets,
): MskConnectorSpec[] {
  const source = cdcSourcePrincipal(model, env);
  if (!source) throw new Error(`platform model: ${env} needs exactly one principal with kafka.produce`);
  // Only a reference: the converters refuse a literal URL (see SchemaRegistryTarget); JSON ignores it.
  const registry: SchemaRegistryTarget = {
    urlRef: secretsManagerRef(targets.schemaRegistry.secretName, 'url'),
  };
  const debezium = deriveDebeziumConnectorConfig(model, env, {
    hostname: targets.database.hostname,
    port: targets.database.port,
    user: model.source.debeziumRole,
    password: `\${secretsmanager:${targets.database.secretArn}:password}`,
    // Replaced by IAM below: MSK Connect cannot use SCRAM.
    kafkaUsername: source,
    kafkaPassword: '',
    securityProtocol: 'SASL_SSL',
    registry,
  });
  const specs: MskConnectorSpec[] = [
    {
      baseName: debezium.name,
      principal: source,
      zone: 'all',
      plugin: 'debezium',
      config: { ...forIamAuth(debezium.config), 'database.sslmode': 'require' },
    },
  ];
  for (const sink of deriveSinks(model, env)) {
    const target = targets.sinkTarget(sink.zone);
    // The Glue catalog and the zone's raw bucket and key (the same derivation the local stack uses
    // with its JDBC catalog); the sink's Kafka clients authenticate with IAM, so no SCRAM overrides.
    const definition = deriveIcebergSinkConnectorConfig(
      sink,
      {
        kind: 'glue',
        catalogName: icebergCatalogName(model),
        warehouse: `s3://${target.bucket}/`,
        region: targets.region,
        kmsKeyArn: target.kmsKeyArn,
      },
      { registry },
    );
    specs.push({
      baseName: definition.name,
      principal: sink.principal,
      zone: sink.zone,
      plugin: 'sink',
      config: {
        ...forIamAuth(definition.config),
        // The connector's name carries a replacement suffix; the model's group (and its committed
        // offsets) stays the same across replacements.
        'consumer.override.group.id': sink.group,
      },
    });
  }
  return specs;
}
