import { Tags } from 'aws-cdk-lib';
import { Port, SecurityGroup } from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  FargateHttpService,
  InternalHttpsEndpoint,
  LogBucket,
  OneShotTask,
  SgIngress,
  acknowledgeNag,
  classify,
} from '@lakewall/infra-constructs';
import { ZONES, type PlatformModel } from '@lakewall/platform-model';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environment-config';
import type { LakeInfraStack } from './lake-infra-stack';
import { taskSecurityGroup } from './task-security-group';
import { mostRestrictedZone } from './most-restricted-zone';
import { addCruiseControl } from './cruise-control';
import {
  SCRAPE_INTERVAL_SECONDS,
  addObservability,
  discoveryHost,
  type Observability,
} from './observability';
import { SCHEMA_REGISTRY_PORT, addSchemaRegistry } from './schema-registry';
import { serviceImage, type ServiceApp } from './service-images';
import { ADMIN_API, BOOTSTRAPPER, serviceTaskRoleName } from './service-roles';

export interface ServicesInputs {
  readonly model: PlatformModel;
  readonly config: EnvironmentConfig;
  readonly infra: LakeInfraStack;
  readonly key: kms.IKey;
  readonly logRetention: RetentionDays;
}

export interface Services {
  readonly cluster: ecs.Cluster;
  readonly bootstrapper: OneShotTask;
  /** The CDC routing monitor: leak checks, lag export, /metrics. */
  readonly monitor: FargateHttpService;
  /** The admin API, reachable only through `adminApiEndpoint`. */
  readonly adminApi: FargateHttpService;
  readonly adminApiEndpoint: InternalHttpsEndpoint;
  /**
   * The security group whose members may call the admin API (HTTPS to its load balancer): attach it
   * to the operators' access path (client VPN endpoint or bastion); nothing else reaches the API.
   */
  readonly adminApiClients: SecurityGroup;
  /** Prometheus and Alertmanager. */
  readonly observability: Observability;
  /** The schema registry (Apicurio), in Cloud Map as `schema-registry`; no load balancer. */
  readonly schemaRegistry: FargateHttpService;
  /** The registry's base URL in Cloud Map (`http://schema-registry.<namespace>:<port>`), no API path. */
  readonly schemaRegistryUrl: string;
  /**
   * The registry's PostgreSQL credentials (username: the model's schemaRegistry.role), for the
   * database setup that creates its role and database.
   */
  readonly schemaRegistryDatabaseSecret: secretsmanager.ISecret;
  /** Cruise Control, analysis only, in Cloud Map as `cruise-control`; no load balancer. */
  readonly cruiseControl: FargateHttpService;
  /**
   * Roles of these services that decrypt with the data-plane key (the execution role that injects
   * the registry's database password): the key's allow-list must name them.
   */
  readonly dataPlaneKeyUsers: readonly iam.IRole[];
}

/** Ports the services listen on inside their tasks (their Dockerfiles' defaults). */
export const SERVICE_PORTS = { monitor: 19400, adminApi: 8080 } as const;

/**
 * The ECS side of the data plane: a Fargate cluster and the topic bootstrapper's one-shot task,
 * which authenticates with its own SCRAM secret over TLS and may read that secret and nothing else.
 */
export function addServices(scope: Construct, inputs: ServicesInputs): Services {
  const { model, config, infra } = inputs;
  const prefix = `${model.project}-${config.name}`;
  if (!model.principals[BOOTSTRAPPER]?.kafka?.manageAcls) {
    throw new Error(`platform model: principal '${BOOTSTRAPPER}' must exist and manage ACLs`);
  }

  const cluster = new ecs.Cluster(scope, 'Services', {
    vpc: infra.network.vpc,
    clusterName: `${prefix}-services`,
    containerInsightsV2: ecs.ContainerInsights.ENHANCED,
  });
  // Services that others call inside the VPC register here (monitor, alertmanager, prometheus,
  // schema-registry, cruise-control).
  cluster.addDefaultCloudMapNamespace({ name: `services.${prefix}.internal`, vpc: infra.network.vpc });
  const registry = addSchemaRegistry(scope, {
    model,
    config,
    infra,
    cluster,
    key: inputs.key,
    logRetention: inputs.logRetention,
  });
  const registryUrl = `http://${discoveryHost(cluster, 'schema-registry')}:${SCHEMA_REGISTRY_PORT}`;
  // The registry's Confluent-compatible API: the monitor decodes Avro records through it, the admin
  // API lists subjects, and the bootstrapper sets the CDC subjects' compatibility rules.
  const ccompatUrl = `${registryUrl}/apis/ccompat/v7`;

  const securityGroup = taskSecurityGroup(
    scope,
    'BootstrapperSecurityGroup',
    infra,
    'Topic bootstrapper task: Kafka and AWS endpoints only',
    'topic bootstrapper',
  );
  infra.kafka.allowClientsFrom(securityGroup, 'topic bootstrapper');
  SgIngress.allow(
    securityGroup,
    registry.service.securityGroup,
    Port.tcp(SCHEMA_REGISTRY_PORT),
    'topic bootstrapper (schema registry)',
  );

  const bootstrapper = new OneShotTask(scope, 'Bootstrapper', {
    image: serviceImage('topic-bootstrapper'),
    taskRoleName: serviceTaskRoleName(model, config.name, BOOTSTRAPPER),
    securityGroup,
    key: inputs.key,
    logRetention: inputs.logRetention,
    environment: {
      LAKEWALL_ENV: config.name,
      LAKEWALL_KAFKA_BROKERS: infra.kafka.brokers.bootstrapBrokersSaslScram,
      LAKEWALL_KAFKA_TLS: 'true',
      LAKEWALL_KAFKA_SECRET_ARN: infra.kafka.scram.secretOf(BOOTSTRAPPER).secretArn,
      // Its apply then sets the CDC subjects' compatibility rules, before the connectors register.
      LAKEWALL_REGISTRY_URL: ccompatUrl,
    },
  });
  infra.kafka.scram.grantRead(BOOTSTRAPPER, bootstrapper.taskDefinition.taskRole);
  // The task acts as the model's bootstrapper: the access proof takes its clearance from this tag.
  Tags.of(bootstrapper.taskDefinition.taskRole).add('principal', BOOTSTRAPPER);
  acknowledgeNag(
    bootstrapper.taskDefinition.taskRole.node.findChild('DefaultPolicy'),
    'NIST.800.53.R5-IAMNoInlinePolicy',
    "The bootstrapper's grants (its own SCRAM secret and that secret's key through Secrets Manager; assuming the Kafka break-glass role), in a policy attached to its task role only.",
  );

  const services = model.environments[config.name].services;
  if (!services) {
    throw new Error(`platform model: environments.${config.name}.services is required for the ECS services`);
  }
  const kafkaClient = (principal: string) => ({
    LAKEWALL_ENV: config.name,
    LAKEWALL_KAFKA_BROKERS: infra.kafka.brokers.bootstrapBrokersSaslScram,
    LAKEWALL_KAFKA_TLS: 'true',
    LAKEWALL_KAFKA_SECRET_ARN: infra.kafka.scram.secretOf(principal).secretArn,
  });
  const service = (
    id: string,
    app: ServiceApp,
    principal: string,
    size: { cpu: number; memoryMiB: number; desiredCount: number },
    port: number,
    environment: Record<string, string>,
    discoveryName?: string,
  ): FargateHttpService => {
    if (!model.principals[principal]?.kafka) {
      throw new Error(
        `platform model: principal '${principal}' (the ${app} service) must exist with Kafka grants`,
      );
    }
    const securityGroup = new SecurityGroup(scope, `${id}SecurityGroup`, {
      vpc: infra.network.vpc,
      description: `${app} service: declared flows only`,
      allowAllOutbound: false,
    });
    infra.kafka.allowClientsFrom(securityGroup, app);
    infra.network.allowEndpointAccess(securityGroup, app);
    const svc = new FargateHttpService(scope, id, {
      cluster,
      image: serviceImage(app),
      port,
      healthCheckPath: '/healthz',
      environment: { ...kafkaClient(principal), ...environment },
      securityGroup,
      key: inputs.key,
      logRetention: inputs.logRetention,
      taskRoleName: serviceTaskRoleName(model, config.name, principal),
      description: `${principal}: the ${app} ECS service (model principal ${principal})`,
      cpu: size.cpu,
      memoryMiB: size.memoryMiB,
      desiredCount: size.desiredCount,
      discoveryName,
    });
    // Its own SCRAM credentials and nothing else: the grant reaches one secret, and its key only
    // through Secrets Manager.
    infra.kafka.scram.grantRead(principal, svc.taskRole);
    svc.acknowledgeTaskPolicy(
      `The ${app} service's one grant (its own SCRAM secret, and that secret's key through Secrets Manager), in a policy attached to its task role only.`,
    );
    // The task acts as the model's principal: the access proof takes its clearance from this tag.
    Tags.of(svc.taskRole).add('principal', principal);
    // Both services see MNPI topic names and lag (their principals are cleared for it).
    classify(svc, mostRestrictedZone(model, config.name, [...ZONES]));
    return svc;
  };

  const monitor = service(
    'Monitor',
    'cdc-monitor',
    model.monitor.principal,
    services.monitor,
    SERVICE_PORTS.monitor,
    {
      LAKEWALL_MONITOR_HOST: '0.0.0.0',
      LAKEWALL_MONITOR_PORT: String(SERVICE_PORTS.monitor),
      // Avro records are decoded with the schemas the registry serves by id.
      LAKEWALL_REGISTRY_URL: ccompatUrl,
    },
    'monitor',
  );
  const identity = services.adminApi.identity;
  const adminApi = service(
    'AdminApi',
    'admin-api',
    ADMIN_API,
    services.adminApi.size,
    SERVICE_PORTS.adminApi,
    {
      LAKEWALL_ADMIN_API_HOST: '0.0.0.0',
      LAKEWALL_ADMIN_API_PORT: String(SERVICE_PORTS.adminApi),
      LAKEWALL_ADMIN_API_ISSUER: identity.issuer,
      LAKEWALL_ADMIN_API_AUDIENCE: identity.audience,
      LAKEWALL_ADMIN_API_JWKS_URL: identity.jwksUrl,
      // The registry's Confluent-compatible API, as the local stack's endpoint is. No Connect REST
      // API: MSK Connect has none, so the connector routes answer that it is not configured.
      LAKEWALL_REGISTRY_URL: ccompatUrl,
    },
  );
  // The services that read schemas: the admin API (subjects) and the monitor (Avro records).
  for (const [caller, name] of [
    [adminApi, 'admin api'],
    [monitor, 'monitor'],
  ] as const) {
    SgIngress.allow(
      caller.securityGroup,
      registry.service.securityGroup,
      Port.tcp(SCHEMA_REGISTRY_PORT),
      `${name} (schema registry)`,
    );
  }
  const adminApiEndpoint = new InternalHttpsEndpoint(scope, 'AdminApiEndpoint', {
    network: infra.network,
    target: adminApi,
    healthCheckPath: '/healthz',
    certificateArn: services.adminApi.certificateArn,
    name: `${prefix}-admin-api`,
    rateLimitPer5Minutes: services.adminApi.wafRateLimitPer5Minutes,
    accessLogsBucket: new LogBucket(scope, 'AccessLogs', { retentionDays: config.auditRetentionDays }).bucket,
    accessLogsPrefix: 'admin-api-alb',
    key: inputs.key,
    logRetention: inputs.logRetention,
    deletionProtection: config.deletionProtection,
  });
  const adminApiClients = new SecurityGroup(scope, 'AdminApiClientsSecurityGroup', {
    vpc: infra.network.vpc,
    description: 'Callers of the admin API (operators access path): HTTPS to its load balancer only',
    allowAllOutbound: false,
  });
  adminApiEndpoint.allowClientsFrom(adminApiClients, 'admin API clients');
  const observability = addObservability(scope, {
    model,
    config,
    infra,
    cluster,
    monitor,
    key: inputs.key,
    logRetention: inputs.logRetention,
  });
  const cruiseControl = addCruiseControl(scope, {
    model,
    config,
    infra,
    cluster,
    prometheus: observability.prometheus,
    prometheusHost: discoveryHost(cluster, 'prometheus'),
    scrapeIntervalSeconds: SCRAPE_INTERVAL_SECONDS,
    key: inputs.key,
    logRetention: inputs.logRetention,
  });
  return {
    cluster,
    bootstrapper,
    monitor,
    adminApi,
    adminApiEndpoint,
    adminApiClients,
    observability,
    schemaRegistry: registry.service,
    schemaRegistryUrl: registryUrl,
    schemaRegistryDatabaseSecret: registry.databaseSecret,
    cruiseControl,
    dataPlaneKeyUsers: [registry.service.executionRole],
  };
}
