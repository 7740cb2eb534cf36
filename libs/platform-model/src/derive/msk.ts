import type { EnvName, PlatformModel } from '../schema';
import { deriveKafkaUsers } from './users';

/**
 * The Kafka version string Amazon MSK takes for the model's Kafka version: MSK offers a line
 * ("4.1.x"), not a patch release, and from 4.0 on only in KRaft mode ("4.1.x.kraft").
 */
export function mskKafkaVersion(model: PlatformModel): string {
  const [major, minor] = model.kafka.version.split('.');
  const line = `${major}.${minor}.x`;
  return Number(major) >= 4 ? `${line}.kraft` : line;
}

/** The MSK cluster's name in an environment, e.g. "lakewall-dev-kafka". */
export function mskClusterName(model: PlatformModel, env: EnvName): string {
  return `${model.project}-${env}-kafka`;
}

/**
 * The stable bootstrap host of an environment's cluster (environments.<env>.kafka.cluster.bootstrapHost):
 * the bootstrapper checks it, and the infrastructure names its private DNS record with it, so the
 * two can never disagree.
 */
export function mskBootstrapHost(model: PlatformModel, env: EnvName): string {
  const host = model.environments[env].kafka.cluster?.bootstrapHost;
  if (!host) {
    throw new Error(`platform model: environments.${env}.kafka.cluster.bootstrapHost is required for MSK`);
  }
  return host;
}

/**
 * The broker settings the wall depends on, from the environment's Kafka facts: no topic appears
 * unless the bootstrapper creates it, no resource without an ACL is open to everyone, and every
 * write is acknowledged by the environment's minimum of in-sync replicas.
 */
export function deriveBrokerPolicy(model: PlatformModel, env: EnvName): Readonly<Record<string, string>> {
  const kafka = model.environments[env].kafka;
  if (kafka.minInsyncReplicas > kafka.replicationFactor) {
    throw new Error(
      `platform model: environments.${env}.kafka.minInsyncReplicas (${kafka.minInsyncReplicas}) exceeds replicationFactor (${kafka.replicationFactor})`,
    );
  }
  if (kafka.replicationFactor > kafka.brokers) {
    throw new Error(
      `platform model: environments.${env}.kafka.replicationFactor (${kafka.replicationFactor}) exceeds brokers (${kafka.brokers})`,
    );
  }
  return {
    'auto.create.topics.enable': 'false',
    'allow.everyone.if.no.acl.found': 'false',
    'default.replication.factor': String(kafka.replicationFactor),
    'min.insync.replicas': String(kafka.minInsyncReplicas),
    'offsets.topic.replication.factor': String(kafka.replicationFactor),
    'transaction.state.log.replication.factor': String(kafka.replicationFactor),
    'transaction.state.log.min.isr': String(kafka.minInsyncReplicas),
    // Topics are deleted by the bootstrapper's plan, which refuses it unless explicitly allowed.
    'delete.topic.enable': 'true',
    'unclean.leader.election.enable': 'false',
  };
}

/** A properties file (server.properties), keys sorted so the same model always gives the same text. */
export function renderProperties(properties: Readonly<Record<string, string>>): string {
  return (
    Object.keys(properties)
      .sort()
      .map((key) => `${key}=${properties[key]}`)
      .join('\n') + '\n'
  );
}

/** MSK associates only secrets whose name starts with this prefix. */
export const MSK_SCRAM_SECRET_PREFIX = 'AmazonMSK_';

export interface ScramSecretSpec {
  /** The Kafka principal (SCRAM username) the secret holds. */
  readonly principal: string;
  /** The Secrets Manager name, e.g. "AmazonMSK_lakewall-dev-debezium". */
  readonly secretName: string;
}

/** One SCRAM secret per Kafka principal the environment has (see deriveKafkaUsers). */
export function deriveScramSecrets(model: PlatformModel, env: EnvName): ScramSecretSpec[] {
  return deriveKafkaUsers(model, env).map((user) => ({
    principal: user.name,
    secretName: `${MSK_SCRAM_SECRET_PREFIX}${model.project}-${env}-${user.name}`,
  }));
}
