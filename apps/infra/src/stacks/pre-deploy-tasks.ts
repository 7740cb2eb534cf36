import { createHash } from 'node:crypto';
import { Stack, Tags } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  OneShotTask,
  POSTGRES_PORT,
  RunTaskOnDeploy,
  acknowledgeNag,
  classify,
  type MskConnector,
} from '@lakewall/infra-constructs';
import { ZONES, type PlatformModel } from '@lakewall/platform-model';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environment-config';
import type { LakeInfraStack } from './lake-infra-stack';
import { taskSecurityGroup } from './task-security-group';
import { mostRestrictedZone } from './most-restricted-zone';
import { serviceImage } from './service-images';
import { serviceTaskRoleName, SOURCE_SETUP } from './service-roles';
import type { Services } from './services';

/** A database role the source setup brings to its state on every deploy (see @lakewall/source-setup). */
export interface SourceSetupRole {
  readonly role: string;
  /** Its {"username","password"} secret: the password is applied on every run (rotation). */
  readonly secret: secretsmanager.ISecret;
  readonly grants: 'cdc-source' | 'database-owner';
  /** @default the model's source database (cdc-source); required for database-owner */
  readonly database?: string;
}

export interface PreDeployTasksInputs {
  readonly model: PlatformModel;
  readonly config: EnvironmentConfig;
  readonly infra: LakeInfraStack;
  readonly services: Services;
  /** The data plane's key: the handlers' and the task's logs, and Debezium's secret. */
  readonly key: kms.IKey;
  readonly logRetention: RetentionDays;
  readonly debeziumDatabaseSecret: secretsmanager.ISecret;
  /** Created or updated only after both tasks exited 0. */
  readonly connectors: Iterable<MskConnector>;
}

export interface PreDeployTasks {
  readonly sourceSetup: OneShotTask;
  readonly sourceSetupRun: RunTaskOnDeploy;
  readonly bootstrapperRun: RunTaskOnDeploy;
}

/** The bootstrapper's deploy-time command: converge topics and ACLs; never deletes (no --allow-delete). */
export const BOOTSTRAPPER_DEPLOY_COMMAND = ['apply'] as const;
/** The source setup's deploy-time command: the RDS master user grants rds_replication. */
export const SOURCE_SETUP_DEPLOY_COMMAND = ['apply', '--replication', 'rds_replication'] as const;

/** A fingerprint of the platform model: a changed model runs the tasks again. */
export function modelFingerprint(model: PlatformModel): string {
  return createHash('sha256').update(JSON.stringify(model)).digest('hex');
}

/**
 * The one-shot tasks every deploy runs before the connectors: the source setup (Debezium's role,
 * tables, publication, grants on RDS), then the topic bootstrapper's `apply`; each connector depends
 * on both. A failed task fails the deploy. They run again when their image, their settings or the
 * model changes; a second deploy of the same commit runs nothing.
 */
export function addPreDeployTasks(scope: Construct, inputs: PreDeployTasksInputs): PreDeployTasks {
  const { model, config, infra, services } = inputs;
  // The roles the source setup converges. Another database role is one more entry here.
  const roles: SourceSetupRole[] = [
    { role: model.source.debeziumRole, secret: inputs.debeziumDatabaseSecret, grants: 'cdc-source' },
    // The schema registry's own database, owned by its own role (Apicurio creates its tables).
    {
      role: model.schemaRegistry.role,
      secret: services.schemaRegistryDatabaseSecret,
      grants: 'database-owner',
      database: model.schemaRegistry.database,
    },
  ];

  const securityGroup = taskSecurityGroup(
    scope,
    'SourceSetupSecurityGroup',
    infra,
    'Source setup task: the source database and AWS endpoints only',
    'source setup',
  );
  infra.database.allowConnectionsFrom(securityGroup, 'source setup');
  const sourceSetup = new OneShotTask(scope, 'SourceSetup', {
    image: serviceImage('source-setup'),
    taskRoleName: serviceTaskRoleName(model, config.name, SOURCE_SETUP),
    securityGroup,
    key: inputs.key,
    logRetention: inputs.logRetention,
    command: [...SOURCE_SETUP_DEPLOY_COMMAND],
    environment: {
      LAKEWALL_DB_HOST: infra.database.instance.dbInstanceEndpointAddress,
      LAKEWALL_DB_PORT: String(POSTGRES_PORT),
      LAKEWALL_DB_ADMIN_SECRET_ARN: infra.database.secret.secretArn,
      LAKEWALL_DB_ROLES: Stack.of(scope).toJsonString(
        roles.map((r) => ({
          role: r.role,
          secretArn: r.secret.secretArn,
          grants: r.grants,
          ...(r.database ? { database: r.database } : {}),
        })),
      ),
    },
  });
  const taskRole = sourceSetup.taskDefinition.taskRole;
  infra.database.grantSecretRead(SOURCE_SETUP, taskRole);
  for (const r of roles) r.secret.grantRead(taskRole);
  // The task acts as the model's source-setup principal: the access proof takes its clearance from this tag.
  Tags.of(taskRole).add('principal', SOURCE_SETUP);
  acknowledgeNag(
    taskRole.node.findChild('DefaultPolicy'),
    'NIST.800.53.R5-IAMNoInlinePolicy',
    "The source setup's one grant (the database admin secret and the declared roles' secrets, and their keys through Secrets Manager), in a policy attached to its task role only.",
  );
  classify(sourceSetup, mostRestrictedZone(model, config.name, [...ZONES]));

  // A new image or setting is a new task definition revision, which reruns the task by itself.
  const trigger = { Model: modelFingerprint(model) };
  const common = { cluster: services.cluster, key: inputs.key, logRetention: inputs.logRetention, trigger };
  const sourceSetupRun = new RunTaskOnDeploy(scope, 'SourceSetupOnDeploy', {
    ...common,
    task: sourceSetup,
    command: [...SOURCE_SETUP_DEPLOY_COMMAND],
  });
  const bootstrapperRun = new RunTaskOnDeploy(scope, 'BootstrapperOnDeploy', {
    ...common,
    task: services.bootstrapper,
    command: [...BOOTSTRAPPER_DEPLOY_COMMAND],
  });
  // The design's order: source setup, then topics and ACLs, then the connectors.
  bootstrapperRun.resource.node.addDependency(sourceSetupRun.resource);
  // The bootstrapper's apply sets the CDC subjects' compatibility rules through the registry: the
  // registry's service exists (and is stable) before it runs.
  bootstrapperRun.resource.node.addDependency(services.schemaRegistry.service);
  // The registry's role and database exist before its tasks start (else its first deployment
  // would fail its health checks and roll back).
  services.schemaRegistry.service.node.addDependency(sourceSetupRun.resource);
  for (const connector of inputs.connectors) {
    connector.connector.node.addDependency(sourceSetupRun.resource, bootstrapperRun.resource);
  }
  return { sourceSetup, sourceSetupRun, bootstrapperRun };
}
