import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { FargateHttpService, SgIngress, classify } from '@lakewall/infra-constructs';
import { ZONES, renderProperties, type PlatformModel } from '@lakewall/platform-model';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environment-config';
import type { LakeInfraStack } from './lake-infra-stack';
import { taskSecurityGroup } from './task-security-group';
import { mostRestrictedZone } from './most-restricted-zone';
import { curlProbe, serviceImage } from './service-images';
import { CRUISE_CONTROL, serviceExecutionRoleName, serviceTaskRoleName } from './service-roles';

/** Cruise Control's REST port inside its task (its own default is 9090, Prometheus's too). */
export const CRUISE_CONTROL_PORT = 9095;
/** The image's unprivileged user (Strimzi's Kafka image's, see apps/infra/images/cruise-control/Dockerfile). */
const CRUISE_CONTROL_USER = '1001';
/** Where the entrypoint writes the rendered files (a scratch volume: the root filesystem is read-only). */
const CONFIG_DIR = '/config';

/**
 * Sustained (baseline) network bandwidth of each MSK broker instance type, in Gbit/s: Cruise
 * Control's NW_IN/NW_OUT capacity. The baseline, not the burst ceiling, because a rebalance plan
 * that relies on burst credits overloads the brokers it moves partitions to.
 */
const BROKER_BASELINE_GBITS: Readonly<Record<string, number>> = {
  'kafka.t3.small': 0.128,
  'kafka.m5.large': 0.75,
  'kafka.m5.xlarge': 1.25,
  'kafka.m5.2xlarge': 2.5,
  'kafka.m7g.large': 0.937,
  'kafka.m7g.xlarge': 1.876,
  'kafka.m7g.2xlarge': 3.75,
};

export interface CruiseControlEndpoints {
  /** SASL/SCRAM bootstrap brokers (TLS), e.g. the cluster's bootstrapBrokersSaslScram. */
  readonly bootstrapServers: string;
  /** "host:port" of the Prometheus server that scrapes MSK open monitoring. */
  readonly prometheus: string;
  /** Prometheus's scrape interval, so the sampler queries at the resolution the data has. */
  readonly scrapeIntervalSeconds: number;
}

/**
 * Cruise Control's capacity file: every broker alike (MSK brokers of one cluster share a type),
 * disk from the model's broker storage, network from the instance type's baseline, CPU as a
 * percentage (estimated from the node exporter's samples).
 */
export function cruiseControlCapacity(model: PlatformModel, env: EnvironmentConfig['name']): string {
  const kafka = model.environments[env].kafka;
  if (!kafka.brokerInstanceType || !kafka.brokerStorageGiB) {
    throw new Error(
      `platform model: environments.${env}.kafka needs brokerInstanceType and brokerStorageGiB`,
    );
  }
  const gbits = BROKER_BASELINE_GBITS[kafka.brokerInstanceType];
  if (gbits === undefined) {
    throw new Error(
      `cruise control: no network baseline known for ${kafka.brokerInstanceType} (known: ${Object.keys(BROKER_BASELINE_GBITS).join(', ')})`,
    );
  }
  const kbPerSecond = String(Math.floor((gbits * 1e9) / 8 / 1000));
  return JSON.stringify(
    {
      brokerCapacities: [
        {
          brokerId: '-1',
          capacity: {
            DISK: String(kafka.brokerStorageGiB * 1024),
            CPU: '100',
            NW_IN: kbPerSecond,
            NW_OUT: kbPerSecond,
          },
          doc: `Every ${kafka.brokerInstanceType} broker: ${kafka.brokerStorageGiB} GiB of storage (MB), baseline network (KB/s).`,
        },
      ],
    },
    null,
    2,
  );
}

/**
 * Cruise Control's cruisecontrol.properties, without credentials (the entrypoint appends the SASL
 * login from the injected secret). Load comes from Prometheus, which already scrapes MSK's open
 * monitoring, so no metrics reporter runs on the brokers; samples are kept in memory, so Cruise
 * Control creates no topic; it detects and reports anomalies but never heals them, and every
 * request that would change the cluster needs a second, reviewed request (two-step verification).
 * Even so, nothing it proposes can be executed: its principal has no ALTER on the cluster.
 */
export function cruiseControlProperties(
  model: PlatformModel,
  env: EnvironmentConfig['name'],
  endpoints: CruiseControlEndpoints,
): string {
  return renderProperties({
    'bootstrap.servers': endpoints.bootstrapServers,
    'security.protocol': 'SASL_SSL',
    'sasl.mechanism': 'SCRAM-SHA-512',
    'client.id': `${model.project}-${env}-cruise-control`,
    // Load from Prometheus (MSK open monitoring: the JMX and node exporters).
    'metric.sampler.class':
      'com.linkedin.kafka.cruisecontrol.monitor.sampling.prometheus.PrometheusMetricSampler',
    'prometheus.server.endpoint': endpoints.prometheus,
    'prometheus.broker.metrics.scraping.frequency.seconds': String(endpoints.scrapeIntervalSeconds),
    'sampling.allow.cpu.capacity.estimation': 'true',
    // In memory: the default Kafka sample store would create two topics, a right it does not hold.
    // A restart re-collects the windows from Prometheus.
    'sample.store.class': 'com.linkedin.kafka.cruisecontrol.monitor.sampling.NoopSampleStore',
    'capacity.config.file': `${CONFIG_DIR}/capacity.json`,
    'cluster.configs.file': `${CONFIG_DIR}/clusterConfigs.json`,
    // KRaft (MSK has no ZooKeeper for clients): broker failures are detected through the admin API.
    'kafka.broker.failure.detection.enable': 'true',
    'failed.brokers.file.path': '/tmp/cruise-control/failedBrokers.txt',
    // Analysis only.
    'self.healing.enabled': 'false',
    'two.step.verification.enabled': 'true',
    'webserver.http.address': '0.0.0.0',
    'webserver.http.port': String(CRUISE_CONTROL_PORT),
    'webserver.http.cors.enabled': 'false',
    // The access log is a file; the root filesystem is read-only and no one else calls the API yet.
    'webserver.accesslog.enabled': 'false',
  });
}

/** The cluster-level topic settings Cruise Control assumes for topics without their own. */
export function cruiseControlClusterConfigs(model: PlatformModel, env: EnvironmentConfig['name']): string {
  return JSON.stringify({ 'min.insync.replicas': model.environments[env].kafka.minInsyncReplicas }, null, 2);
}

export interface CruiseControlInputs {
  readonly model: PlatformModel;
  readonly config: EnvironmentConfig;
  readonly infra: LakeInfraStack;
  readonly cluster: ecs.ICluster;
  /** The Prometheus service (registered in the cluster's namespace as `prometheus`). */
  readonly prometheus: FargateHttpService;
  /** Prometheus's Cloud Map host name. */
  readonly prometheusHost: string;
  readonly scrapeIntervalSeconds: number;
  readonly key: kms.IKey;
  readonly logRetention: RetentionDays;
}

/**
 * Cruise Control as a read-only analyst of the MSK cluster: SASL/SCRAM as the model's
 * `cruise-control` principal (metadata of the cluster and every topic, no ALTER), load from
 * Prometheus. Internal only: registered in Cloud Map as `cruise-control`, with no load balancer
 * and no inbound flow yet (its proposals name MNPI topics, so a caller must go through the wall).
 */
export function addCruiseControl(scope: Construct, inputs: CruiseControlInputs): FargateHttpService {
  const { model, config, infra } = inputs;
  if (!model.principals[CRUISE_CONTROL]?.kafka?.analyzeCluster) {
    throw new Error(`platform model: principal '${CRUISE_CONTROL}' must exist with kafka.analyzeCluster`);
  }
  const size = model.environments[config.name].services!.cruiseControl.size;
  const securityGroup = taskSecurityGroup(
    scope,
    'CruiseControlSecurityGroup',
    infra,
    'cruise-control service: declared flows only',
    'cruise control',
  );
  infra.kafka.allowClientsFrom(securityGroup, 'cruise control');
  SgIngress.allow(
    securityGroup,
    inputs.prometheus.securityGroup,
    ec2.Port.tcp(inputs.prometheus.port),
    'cruise control (prometheus queries)',
  );

  // Referenced by ARN, not as the infra stack's construct: binding that construct to a container
  // would have CDK grant its key to this stack's role in the key's policy, a reference from the
  // infra stack back to this one. The key grant is ScramSecrets.grantRead's, below.
  const scram = secretsmanager.Secret.fromSecretAttributes(scope, 'CruiseControlScramSecret', {
    secretCompleteArn: infra.kafka.scram.secretOf(CRUISE_CONTROL).secretArn,
  });
  const service = new FargateHttpService(scope, 'CruiseControl', {
    cluster: inputs.cluster,
    image: serviceImage('cruise-control'),
    port: CRUISE_CONTROL_PORT,
    healthCheckPath: '/kafkacruisecontrol/state',
    healthCheckCommand: curlProbe(CRUISE_CONTROL_PORT, '/kafkacruisecontrol/state?json=true'),
    healthCheckStartPeriodSeconds: 120,
    user: CRUISE_CONTROL_USER,
    environment: {
      LAKEWALL_ENV: config.name,
      LAKEWALL_KAFKA_USERNAME: CRUISE_CONTROL,
      LAKEWALL_CRUISE_CONTROL_PROPERTIES: cruiseControlProperties(model, config.name, {
        bootstrapServers: infra.kafka.brokers.bootstrapBrokersSaslScram,
        prometheus: `${inputs.prometheusHost}:${inputs.prometheus.port}`,
        scrapeIntervalSeconds: inputs.scrapeIntervalSeconds,
      }),
      LAKEWALL_CRUISE_CONTROL_CAPACITY: cruiseControlCapacity(model, config.name),
      LAKEWALL_CRUISE_CONTROL_CLUSTER_CONFIGS: cruiseControlClusterConfigs(model, config.name),
    },
    // Its own SCRAM password only, injected by ECS (the JVM image has no AWS SDK to fetch it).
    secrets: { LAKEWALL_KAFKA_PASSWORD: ecs.Secret.fromSecretsManager(scram, 'password') },
    executionRoleName: serviceExecutionRoleName(model, config.name, CRUISE_CONTROL),
    securityGroup,
    key: inputs.key,
    logRetention: inputs.logRetention,
    taskRoleName: serviceTaskRoleName(model, config.name, CRUISE_CONTROL),
    description: `${CRUISE_CONTROL}: the Cruise Control ECS service (analysis only; model principal ${CRUISE_CONTROL})`,
    cpu: size.cpu,
    memoryMiB: size.memoryMiB,
    desiredCount: 1,
    // One task: two would build two load models and answer differently.
    deployment: 'replace',
    discoveryName: 'cruise-control',
  });
  service.addScratchVolume('config', CONFIG_DIR);
  service.addScratchVolume('tmp', '/tmp');
  // Checks at synthesis that the execution role is on the SCRAM key's allow-list (by name).
  infra.kafka.scram.grantRead(CRUISE_CONTROL, service.executionRole);
  // Both roles act for the model's principal: the access proof takes their clearance from this tag.
  Tags.of(service.taskRole).add('principal', CRUISE_CONTROL);
  Tags.of(service.executionRole).add('principal', CRUISE_CONTROL);
  // It sees every topic's name and layout, MNPI ones included.
  classify(service, mostRestrictedZone(model, config.name, [...ZONES]));
  return service;
}
