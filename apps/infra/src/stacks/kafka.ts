import { MskCluster, classify } from '@lakewall/infra-constructs';
import type { LakeNetwork } from '@lakewall/infra-constructs';
import {
  deriveBrokerPolicy,
  deriveScramSecrets,
  mskBootstrapHost,
  mskClusterName,
  mskKafkaVersion,
  renderProperties,
  topicsInZone,
  ZONES,
  type PlatformModel,
} from '@lakewall/platform-model';
import { Stack } from 'aws-cdk-lib';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environment-config';
import { logRetentionFor } from './log-retention';
import { mostRestrictedZone } from './most-restricted-zone';
import { scramReaderRoleNames } from './service-roles';

export interface KafkaInputs {
  readonly model: PlatformModel;
  readonly config: EnvironmentConfig;
  readonly network: LakeNetwork;
  readonly accessLogsBucket: IBucket;
}

/** The environment's MSK cluster, sized, versioned and configured from the platform model. */
export function createKafka(scope: Construct, id: string, inputs: KafkaInputs): MskCluster {
  const { model, config } = inputs;
  const kafka = model.environments[config.name].kafka;
  const missing = (field: string) =>
    new Error(`platform model: environments.${config.name}.kafka.${field} is required for MSK`);
  if (!kafka.brokerInstanceType) throw missing('brokerInstanceType');
  if (!kafka.brokerStorageGiB) throw missing('brokerStorageGiB');
  const prefix = `${model.project}-${config.name}`;

  const cluster = new MskCluster(scope, id, {
    network: inputs.network,
    clusterName: mskClusterName(model, config.name),
    kafkaVersion: mskKafkaVersion(model),
    brokerCount: kafka.brokers,
    brokerInstanceType: kafka.brokerInstanceType,
    brokerStorageGiB: kafka.brokerStorageGiB,
    serverProperties: renderProperties(deriveBrokerPolicy(model, config.name)),
    scramSecrets: deriveScramSecrets(model, config.name),
    keyAliasPrefix: `alias/${prefix}-kafka`,
    logRetention: logRetentionFor(config.auditRetentionDays),
    bootstrapHost: mskBootstrapHost(model, config.name),
    // The ECS roles of the data-plane stack, by name: it deploys later, so no reference.
    scramReaderRoleNames: scramReaderRoleNames(model, config.name),
    accessLogsBucket: inputs.accessLogsBucket,
    deletionProtection: config.deletionProtection,
  });
  // Transitional: the data plane's Prometheus imported the brokers' IP addresses before it scraped
  // them by host name. CloudFormation refuses to drop an export another stack still imports, and
  // this stack deploys first, so the exports stay until every environment's data plane has been
  // deployed with host names; remove them in the release after.
  for (const ip of cluster.brokers.brokerIps) Stack.of(scope).exportValue(ip);
  // The cluster carries the topics of every zone, so it is as restricted as the most restricted one.
  const zonesWithTopics = ZONES.filter((zone) => topicsInZone(model, config.name, zone).length > 0);
  classify(cluster, mostRestrictedZone(model, config.name, zonesWithTopics));
  return cluster;
}
