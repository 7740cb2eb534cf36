import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as efs from 'aws-cdk-lib/aws-efs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  AlertNotifications,
  FargateHttpService,
  MSK_OPEN_MONITORING_PORTS,
  SgIngress,
  acknowledgeNag,
  classify,
} from '@lakewall/infra-constructs';
import { ZONES, type PlatformModel } from '@lakewall/platform-model';
import type { Construct } from 'constructs';
import { stringify } from 'yaml';
import type { EnvironmentConfig } from '../environment-config';
import type { LakeInfraStack } from './lake-infra-stack';
import { mostRestrictedZone } from './most-restricted-zone';
import { serviceImage } from './service-images';

/** The images' unprivileged "nobody" (Prometheus and Alertmanager images). */
const NOBODY = '65534';
export const OBSERVABILITY_PORTS = { prometheus: 9090, alertmanager: 9093 } as const;
/** How often Prometheus scrapes and evaluates (Cruise Control's sampler queries at this step). */
export const SCRAPE_INTERVAL_SECONDS = 30;

export interface ObservabilityInputs {
  readonly model: PlatformModel;
  readonly config: EnvironmentConfig;
  readonly infra: LakeInfraStack;
  readonly cluster: ecs.Cluster;
  /** The monitor's service, registered in the cluster's namespace as `monitor`. */
  readonly monitor: FargateHttpService;
  readonly key: kms.IKey;
  readonly logRetention: RetentionDays;
}

export interface Observability {
  readonly prometheus: FargateHttpService;
  readonly prometheusData: efs.FileSystem;
  readonly alertmanager: FargateHttpService;
  readonly alerts: AlertNotifications;
  /** The SNS interface endpoint Alertmanager publishes through (the VPC has no internet route). */
  readonly snsEndpoint: ec2.InterfaceVpcEndpoint;
}

/** A name in the cluster's Cloud Map namespace, e.g. "monitor.services.lakewall-dev.internal". */
export function discoveryHost(cluster: ecs.Cluster, name: string): string {
  const namespace = cluster.defaultCloudMapNamespace;
  if (!namespace) throw new Error(`${cluster.node.path}: the cluster has no Cloud Map namespace`);
  return `${name}.${namespace.namespaceName}`;
}

/**
 * Prometheus's configuration: the monitor (job "cdc-monitor", the name its rules expect), MSK open
 * monitoring on every broker (JMX and node exporters), Alertmanager, and Prometheus itself. The
 * admin API exposes no /metrics, so it is not scraped; the schema registry's and Cruise Control's
 * own metrics are not scraped yet. Tokens (broker host names) stay tokens: CloudFormation fills
 * them in.
 */
export function prometheusConfig(
  env: string,
  hosts: { monitor: string; alertmanager: string },
  brokers: readonly string[],
  monitorPort: number,
): string {
  const dns = (name: string, port: number) => [{ names: [name], type: 'A', port }];
  return stringify(
    {
      global: {
        scrape_interval: `${SCRAPE_INTERVAL_SECONDS}s`,
        evaluation_interval: `${SCRAPE_INTERVAL_SECONDS}s`,
        external_labels: { environment: env },
      },
      rule_files: ['/etc/lakewall/rules/*.rules.yml'],
      alerting: {
        alertmanagers: [{ dns_sd_configs: dns(hosts.alertmanager, OBSERVABILITY_PORTS.alertmanager) }],
      },
      scrape_configs: [
        { job_name: 'cdc-monitor', dns_sd_configs: dns(hosts.monitor, monitorPort) },
        ...Object.entries(MSK_OPEN_MONITORING_PORTS).map(([name, port]) => ({
          job_name: `msk-${name}`,
          static_configs: [{ targets: brokers.map((broker) => `${broker}:${port}`) }],
        })),
        {
          job_name: 'alertmanager',
          dns_sd_configs: dns(hosts.alertmanager, OBSERVABILITY_PORTS.alertmanager),
        },
        {
          job_name: 'prometheus',
          static_configs: [{ targets: [`127.0.0.1:${OBSERVABILITY_PORTS.prometheus}`] }],
        },
      ],
    },
    { lineWidth: 0 },
  );
}

/** Alertmanager's configuration: every alert to the environment's SNS topic, resolved ones too. */
export function alertmanagerConfig(topicArn: string, region: string): string {
  return stringify(
    {
      route: {
        receiver: 'alert-topic',
        group_by: ['alertname', 'environment'],
        group_wait: '30s',
        group_interval: '5m',
        repeat_interval: '4h',
      },
      receivers: [
        {
          name: 'alert-topic',
          sns_configs: [
            {
              topic_arn: topicArn,
              sigv4: { region },
              // Alert name, status and count only: labels can name MNPI topics, and the topic's
              // subscribers are not necessarily cleared for MNPI (the details are in Prometheus).
              subject: '[{{ .Status }}] {{ .CommonLabels.alertname }}',
              message:
                '{{ .CommonLabels.alertname }} is {{ .Status }} in {{ .CommonLabels.environment }} ({{ len .Alerts }} alerts); details in Prometheus.',
              send_resolved: true,
            },
          ],
        },
      ],
    },
    { lineWidth: 0 },
  );
}

/**
 * Prometheus (TSDB on an encrypted EFS file system) and Alertmanager (to an encrypted SNS topic with
 * a dead-letter queue), each with its own security group and flows declared once with SgIngress.
 */
export function addObservability(scope: Construct, inputs: ObservabilityInputs): Observability {
  const { model, config, infra, cluster } = inputs;
  const prefix = `${model.project}-${config.name}`;
  const services = model.environments[config.name].services!;
  const vpc = infra.network.vpc;
  const region = Stack.of(scope).region;
  const newGroup = (id: string, description: string) =>
    new ec2.SecurityGroup(scope, id, { vpc, description, allowAllOutbound: false });
  const wget = (port: number) => ['wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${port}/-/healthy`];

  // --- Alertmanager -> SNS ------------------------------------------------------------------------
  const alerts = new AlertNotifications(scope, 'Alerts', {
    keyAlias: `alias/${prefix}-alerts`,
    emails: services.alertmanager.emails,
  });
  const alertmanagerGroup = newGroup('AlertmanagerSecurityGroup', 'Alertmanager: declared flows only');
  infra.network.allowEndpointAccess(alertmanagerGroup, 'alertmanager');
  const snsEndpointGroup = newGroup(
    'SnsEndpointSecurityGroup',
    'SNS interface endpoint: declared callers only',
  );
  const snsEndpoint = new ec2.InterfaceVpcEndpoint(scope, 'SnsEndpoint', {
    vpc,
    service: ec2.InterfaceVpcEndpointAwsService.SNS,
    subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    securityGroups: [snsEndpointGroup],
    privateDnsEnabled: true,
    open: false,
  });
  SgIngress.allow(alertmanagerGroup, snsEndpointGroup, ec2.Port.tcp(443), 'alertmanager (SNS endpoint)');
  const alertmanager = new FargateHttpService(scope, 'Alertmanager', {
    cluster,
    image: serviceImage('alertmanager'),
    port: OBSERVABILITY_PORTS.alertmanager,
    healthCheckPath: '/-/healthy',
    healthCheckCommand: wget(OBSERVABILITY_PORTS.alertmanager),
    user: NOBODY,
    environment: { LAKEWALL_ALERTMANAGER_CONFIG: alertmanagerConfig(alerts.topic.topicArn, region) },
    securityGroup: alertmanagerGroup,
    key: inputs.key,
    logRetention: inputs.logRetention,
    taskRoleName: `${prefix}-alertmanager-task`,
    description: 'alertmanager: publishes alerts to the alert topic, nothing else',
    cpu: services.alertmanager.size.cpu,
    memoryMiB: services.alertmanager.size.memoryMiB,
    desiredCount: 1,
    discoveryName: 'alertmanager',
  });
  alertmanager.addScratchVolume('config', '/config');
  alertmanager.addScratchVolume('state', '/alertmanager');
  alerts.grantPublish(alertmanager.taskRole);
  alertmanager.acknowledgeTaskPolicy(
    "Alertmanager's one grant (publish to the alert topic with its key), in a policy attached to its task role only.",
  );

  // --- Prometheus ---------------------------------------------------------------------------------
  const prometheusGroup = newGroup('PrometheusSecurityGroup', 'Prometheus: declared scrape targets only');
  infra.network.allowEndpointAccess(prometheusGroup, 'prometheus');
  const dataGroup = newGroup('PrometheusDataSecurityGroup', 'Prometheus EFS mount targets: Prometheus only');
  const prometheusData = new efs.FileSystem(scope, 'PrometheusData', {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    securityGroup: dataGroup,
    encrypted: true,
    kmsKey: inputs.key,
    performanceMode: efs.PerformanceMode.GENERAL_PURPOSE,
    throughputMode: efs.ThroughputMode.ELASTIC,
    enableAutomaticBackups: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const accessPoint = prometheusData.addAccessPoint('PrometheusAccessPoint', {
    path: '/prometheus',
    posixUser: { uid: NOBODY, gid: NOBODY },
    createAcl: { ownerUid: NOBODY, ownerGid: NOBODY, permissions: '750' },
  });
  SgIngress.allow(prometheusGroup, dataGroup, ec2.Port.tcp(2049), 'prometheus (EFS)');
  SgIngress.allow(
    prometheusGroup,
    inputs.monitor.securityGroup,
    ec2.Port.tcp(inputs.monitor.port),
    'prometheus (monitor metrics)',
  );
  SgIngress.allow(
    prometheusGroup,
    alertmanagerGroup,
    ec2.Port.tcp(OBSERVABILITY_PORTS.alertmanager),
    'prometheus (alertmanager)',
  );
  infra.kafka.allowMetricsScrapeFrom(prometheusGroup, 'prometheus');

  const prometheus = new FargateHttpService(scope, 'Prometheus', {
    cluster,
    image: serviceImage('prometheus'),
    port: OBSERVABILITY_PORTS.prometheus,
    healthCheckPath: '/-/healthy',
    healthCheckCommand: wget(OBSERVABILITY_PORTS.prometheus),
    user: NOBODY,
    environment: {
      LAKEWALL_PROMETHEUS_CONFIG: prometheusConfig(
        config.name,
        { monitor: discoveryHost(cluster, 'monitor'), alertmanager: discoveryHost(cluster, 'alertmanager') },
        // By the brokers' DNS names, which they also advertise: Cruise Control matches each series
        // to a broker of the cluster metadata by its `instance` host.
        infra.kafka.brokers.brokerHosts,
        inputs.monitor.port,
      ),
      LAKEWALL_PROMETHEUS_RETENTION: `${services.prometheus.retentionDays}d`,
    },
    securityGroup: prometheusGroup,
    key: inputs.key,
    logRetention: inputs.logRetention,
    taskRoleName: `${prefix}-prometheus-task`,
    description: 'prometheus: mounts its EFS access point, nothing else',
    cpu: services.prometheus.size.cpu,
    memoryMiB: services.prometheus.size.memoryMiB,
    desiredCount: 1,
    deployment: 'replace',
    // Cruise Control queries it by this name.
    discoveryName: 'prometheus',
  });
  prometheus.addScratchVolume('config', '/config');
  prometheus.taskDefinition.addVolume({
    name: 'data',
    efsVolumeConfiguration: {
      fileSystemId: prometheusData.fileSystemId,
      transitEncryption: 'ENABLED',
      authorizationConfig: { accessPointId: accessPoint.accessPointId, iam: 'ENABLED' },
    },
  });
  prometheus.container.addMountPoints({
    sourceVolume: 'data',
    containerPath: '/prometheus',
    readOnly: false,
  });
  prometheusData.grant(prometheus.taskRole, 'elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite');
  prometheus.acknowledgeTaskPolicy(
    "Prometheus's one grant (mount and write its EFS file system), in a policy attached to its task role only.",
  );
  acknowledgeNag(
    prometheusData.node.defaultChild!,
    'NIST.800.53.R5-EFSInBackupPlan',
    'Automatic backups (the AWS Backup default plan of EFS) are on; the metrics are also re-collected from their sources, so no plan of our own is kept for them.',
  );

  // Metrics and alert labels carry MNPI topic names: as restricted as the most restricted zone.
  for (const construct of [prometheus, prometheusData, alertmanager]) {
    classify(construct, mostRestrictedZone(model, config.name, [...ZONES]));
  }
  // Notifications carry the alert name, status and count only (alertmanagerConfig).
  classify(alerts, 'public');
  return { prometheus, prometheusData, alertmanager, alerts, snsEndpoint };
}
