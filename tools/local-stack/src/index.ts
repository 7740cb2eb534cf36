/**
 * @lakewall/local-stack: start the local CDC stack and get connection details from it.
 * Connection details always come from the running stack's state (ports from the environment,
 * passwords from the credentials file), never from constants in callers.
 */
import type { KafkaConfig } from 'kafkajs';
import type { ClientConfig } from 'pg';
import {
  cdcSourcePrincipal,
  principalsIn,
  type PlatformModel,
  type SchemaRegistryTarget,
} from '@lakewall/platform-model';
import { endpointOf } from './components';
import { kafkaConfigFor } from './components/kafka';
import { pgConfigFor } from './components/postgres';
import { ConnectRestClient, type ConnectorStatus } from '@lakewall/connect-rest';
import { requireCredentials, stackContext } from './context';
import { PG_SUPERUSER } from './credentials';
import { connectRestClientFor, connectSecretsDir } from './components/connect';
import { kafkaSecretFile, postgresSecretFile, REGISTRY_SECRET_FILE, secretRef } from './connect-secrets';
import { readStackStatus as readStatus, type StackStatus } from './status';
import { up } from './up';

/** The Kafka principal the Debezium connector writes as: the model's one CDC producer. */
export function cdcProducerPrincipal(model: PlatformModel): string {
  const producer = cdcSourcePrincipal(model, 'local');
  if (!producer) {
    const producers = principalsIn(model, 'local').filter((p) => (p.kafka?.produce?.length ?? 0) > 0);
    throw new Error(
      `expected exactly one principal with kafka.produce in the model, found ${producers.map((p) => p.name).join(', ') || 'none'}`,
    );
  }
  return producer;
}

export type { StackStatus, ComponentStatus } from './status';
export { ComponentError, LOCAL_ENV } from './context';
export { up, upPostgres } from './up';
export { down } from './down';
export { registerScrapeTarget } from './components/prometheus';
export { PrerequisiteError } from './install';
export { ConnectRestClient, type ConnectorStatus } from '@lakewall/connect-rest';
export { COMPONENTS, type Component } from './ports';

/**
 * Idempotent `up`: starts what is missing and restarts a component whose generated configuration
 * changed; about a second when everything already runs as configured.
 */
export function ensureStackUp(): Promise<StackStatus> {
  return up();
}

export function readStackStatus(): Promise<StackStatus> {
  return readStatus(stackContext());
}

/**
 * kafkajs config for a SCRAM principal from the platform model (or `admin`). Built by
 * @lakewall/kafka-connection, which also registers the ZSTD codec the model's topics need.
 */
export function kafkaClientConfig(principal: string): KafkaConfig {
  const ctx = stackContext();
  const password = requireCredentials(ctx).kafka[principal];
  if (!password) throw new Error(`no Kafka credentials for principal '${principal}' in ${ctx.credsFile}`);
  return kafkaConfigFor(ctx.ports, principal, password);
}

/**
 * pg config for a role: `admin` (the bootstrap superuser) or a role from the model, e.g.
 * `model.source.debeziumRole`. Connects to the source database unless `database` is given.
 */
export function pgConnectionConfig(role: string, database?: string): ClientConfig {
  const ctx = stackContext();
  const user = role === 'admin' ? PG_SUPERUSER : role;
  const password = requireCredentials(ctx).postgres[user];
  if (!password) throw new Error(`no PostgreSQL credentials for role '${role}' in ${ctx.credsFile}`);
  return pgConfigFor(ctx.ports, user, password, database ?? ctx.model.source.database);
}

/** Confluent-compatible schema registry base URL (Apicurio ccompat API). */
export function registryUrl(): string {
  return endpointOf('registry', stackContext().ports);
}

export function connectUrl(): string {
  return endpointOf('connect', stackContext().ports);
}

/** The Connect REST client, authenticated as the stack's REST user (basic auth is required). */
export function connectClient(): ConnectRestClient {
  const ctx = stackContext();
  return connectRestClientFor(ctx, requireCredentials(ctx));
}

export function upsertConnector(name: string, config: Record<string, string>): Promise<void> {
  return connectClient().upsertConnector(name, config);
}

export function waitForConnectorRunning(name: string, timeoutMs = 120_000): Promise<ConnectorStatus> {
  return connectClient().waitForConnectorRunning(name, timeoutMs);
}

/** How the local connectors reach the registry: its URL through the worker's file provider. */
export function localRegistryTarget(secretsDir: string): SchemaRegistryTarget {
  return { urlRef: secretRef(secretsDir, REGISTRY_SECRET_FILE, 'url') };
}

/**
 * Connection facts the Debezium connector needs, for deriveDebeziumConnectorConfig. Its passwords
 * are config-provider references the Connect worker resolves from its secrets directory: the
 * connector config (in Connect's config topic and REST API) never holds a password.
 */
export function debeziumConnection(): {
  hostname: string;
  port: number;
  database: string;
  user: string;
  password: string;
  kafkaUsername: string;
  kafkaPassword: string;
  bootstrapServers: string;
  saslMechanism: 'SCRAM-SHA-512';
  registry: SchemaRegistryTarget;
} {
  const ctx = stackContext();
  const role = ctx.model.source.debeziumRole;
  const kafkaUser = cdcProducerPrincipal(ctx.model);
  const secrets = connectSecretsDir(ctx.state);
  return {
    hostname: '127.0.0.1',
    port: ctx.ports.postgres,
    database: ctx.model.source.database,
    user: role,
    password: secretRef(secrets, postgresSecretFile(role)),
    kafkaUsername: kafkaUser,
    kafkaPassword: secretRef(secrets, kafkaSecretFile(kafkaUser)),
    bootstrapServers: `127.0.0.1:${ctx.ports.kafka}`,
    saslMechanism: 'SCRAM-SHA-512',
    registry: localRegistryTarget(secrets),
  };
}
