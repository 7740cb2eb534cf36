import { RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  FargateHttpService,
  KeyAdministration,
  POSTGRES_PORT,
  acknowledgeNag,
  classify,
  denySecretPolicyChanges,
} from '@lakewall/infra-constructs';
import { ZONES, type PlatformModel } from '@lakewall/platform-model';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environment-config';
import type { LakeInfraStack } from './lake-infra-stack';
import { taskSecurityGroup } from './task-security-group';
import { mostRestrictedZone } from './most-restricted-zone';
import { curlProbe, serviceImage } from './service-images';
import { SCHEMA_REGISTRY, serviceTaskRoleName } from './service-roles';

/** Apicurio Registry's HTTP port (its image's default). */
export const SCHEMA_REGISTRY_PORT = 8080;
/** The image's unprivileged user (the Red Hat OpenJDK images' "jboss"); any non-root uid runs it. */
const APICURIO_USER = '185';

export interface SchemaRegistryInputs {
  readonly model: PlatformModel;
  readonly config: EnvironmentConfig;
  readonly infra: LakeInfraStack;
  readonly cluster: ecs.ICluster;
  /** The data-plane key: the database secret and the log group. */
  readonly key: kms.IKey;
  readonly logRetention: RetentionDays;
}

export interface SchemaRegistry {
  readonly service: FargateHttpService;
  /**
   * The registry's PostgreSQL credentials (`{"username": <schemaRegistry.role>, "password": ...}`):
   * the database setup creates the role and database from it; the registry's task reads only the
   * password, injected by ECS.
   */
  readonly databaseSecret: secretsmanager.Secret;
}

/**
 * The registry's launch settings (Apicurio Registry 3 reads them from the environment, the same
 * settings the local stack passes as system properties). TLS to RDS is required (rds.force_ssl).
 */
export function schemaRegistryEnvironment(
  model: PlatformModel,
  databaseHost: string,
  port: number = POSTGRES_PORT,
): Record<string, string> {
  const { database, role } = model.schemaRegistry;
  return {
    APICURIO_STORAGE_KIND: 'sql',
    APICURIO_STORAGE_SQL_KIND: 'postgresql',
    APICURIO_DATASOURCE_URL: `jdbc:postgresql://${databaseHost}:${port}/${database}?sslmode=require`,
    APICURIO_DATASOURCE_USERNAME: role,
    QUARKUS_HTTP_HOST: '0.0.0.0',
    QUARKUS_HTTP_PORT: String(SCHEMA_REGISTRY_PORT),
    // The root filesystem is read-only: temporary files go to the task's scratch volume.
    JAVA_OPTS_APPEND: '-Djava.io.tmpdir=/tmp -Dvertx.cacheDirBase=/tmp/vertx-cache',
  };
}

/**
 * The schema registry on the services cluster: Apicurio Registry with its storage in a database
 * and role of its own on the source RDS instance (model: schemaRegistry), registered in Cloud Map
 * as `schema-registry`. Its task role has no permission; ECS injects the database password through
 * the execution role. The schemas of MNPI tables name MNPI columns, so the registry, its secret
 * and its logs are classified as the most restricted zone. Callers are admitted by the caller of
 * this function (SgIngress to `service.securityGroup`).
 */
export function addSchemaRegistry(scope: Construct, inputs: SchemaRegistryInputs): SchemaRegistry {
  const { model, config, infra } = inputs;
  const prefix = `${model.project}-${config.name}`;
  const size = model.environments[config.name].services!.schemaRegistry.size;
  const zone = mostRestrictedZone(model, config.name, [...ZONES]);

  const databaseSecret = new secretsmanager.Secret(scope, 'SchemaRegistryDatabaseSecret', {
    secretName: `${prefix}/schema-registry/database`,
    description: `PostgreSQL credentials of ${model.schemaRegistry.role}, the schema registry's own role`,
    encryptionKey: inputs.key,
    removalPolicy: RemovalPolicy.RETAIN,
    generateSecretString: {
      secretStringTemplate: JSON.stringify({ username: model.schemaRegistry.role }),
      generateStringKey: 'password',
      passwordLength: 40,
      // It ends up in a JDBC connection and a CREATE ROLE statement: nothing to quote or escape.
      excludeCharacters: '"\'\\`$;{}:@/?&=%#',
    },
  });
  for (const rule of ['AwsSolutions-SMG4', 'NIST.800.53.R5-SecretsManagerRotationEnabled']) {
    acknowledgeNag(
      databaseSecret.node.defaultChild!,
      rule,
      "ECS injects this password when the registry's tasks start; rotation needs the PostgreSQL role updated in step, which the database setup does, not a scheduled rotation.",
    );
  }
  denySecretPolicyChanges(databaseSecret, KeyAdministration.of(scope).deploymentRoleArn);
  classify(databaseSecret, zone);

  const securityGroup = taskSecurityGroup(
    scope,
    'SchemaRegistrySecurityGroup',
    infra,
    'schema-registry service: declared flows only',
    'schema registry',
  );
  infra.database.allowConnectionsFrom(securityGroup, 'schema registry');

  const service = new FargateHttpService(scope, 'SchemaRegistry', {
    cluster: inputs.cluster,
    image: serviceImage('schema-registry'),
    port: SCHEMA_REGISTRY_PORT,
    healthCheckPath: '/apis/registry/v3/system/info',
    healthCheckCommand: curlProbe(SCHEMA_REGISTRY_PORT, '/apis/registry/v3/system/info'),
    healthCheckStartPeriodSeconds: 90,
    user: APICURIO_USER,
    environment: schemaRegistryEnvironment(model, infra.database.instance.dbInstanceEndpointAddress),
    secrets: { APICURIO_DATASOURCE_PASSWORD: ecs.Secret.fromSecretsManager(databaseSecret, 'password') },
    securityGroup,
    key: inputs.key,
    logRetention: inputs.logRetention,
    taskRoleName: serviceTaskRoleName(model, config.name, SCHEMA_REGISTRY),
    description: `${SCHEMA_REGISTRY}: the schema registry ECS service; no AWS permission of its own`,
    cpu: size.cpu,
    memoryMiB: size.memoryMiB,
    desiredCount: size.desiredCount,
    discoveryName: 'schema-registry',
  });
  service.addScratchVolume('tmp', '/tmp');
  // Both roles act for the model's registry principal: the access proof takes their clearance from
  // this tag (the execution role reads the MNPI-classified database secret).
  Tags.of(service.taskRole).add('principal', SCHEMA_REGISTRY);
  Tags.of(service.executionRole).add('principal', SCHEMA_REGISTRY);
  classify(service, zone);
  return { service, databaseSecret };
}
