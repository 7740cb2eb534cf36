import {
  Tags,
  ArnFormat,
  CrossStackReferences,
  ReferenceStrength,
  RemovalPolicy,
  SecretValue,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  ConnectPlugin,
  ConnectWorkerConfiguration,
  KafkaBreakGlassRole,
  KeyAdministration,
  MskConnector,
  POSTGRES_PORT,
  SgIngress,
  acknowledgeNag,
  applyPlatformTags,
  classify,
  denySecretPolicyChanges,
  denyUseExceptAllowList,
  secureKey,
} from '@lakewall/infra-constructs';
import { ZONES, deriveMskIamGrants, type PlatformModel } from '@lakewall/platform-model';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environment-config';
import { CONNECT_PLUGINS, pluginAsset, type ConnectPluginId, type PluginMode } from './connect-plugins';
import { deriveMskConnectors } from './connectors';
import { addKafkaBreakGlass } from './kafka-break-glass';
import { addPreDeployTasks } from './pre-deploy-tasks';
import { SCHEMA_REGISTRY_PORT } from './schema-registry';
import { addServices, type Services } from './services';
import type { LakeInfraStack } from './lake-infra-stack';
import { logRetentionFor } from './log-retention';
import { mostRestrictedZone } from './most-restricted-zone';

export interface DataPlaneStackProps extends StackProps {
  readonly model: PlatformModel;
  readonly config: EnvironmentConfig;
  /** The environment's infra stack: network, MSK, database, sink roles. Deployed first. */
  readonly infra: LakeInfraStack;
  /**
   * Whether the Connect plugin zips must exist (deploy) or may be stand-ins (gates, tests).
   * @default 'placeholder'
   */
  readonly pluginMode?: PluginMode;
}

/**
 * The data plane of one environment: MSK Connect (custom plugins, the worker configuration and the
 * model's three connectors, each with its own execution role), on top of the infra stack.
 */
export class DataPlaneStack extends Stack {
  readonly key: kms.Key;
  readonly debeziumDatabaseSecret: secretsmanager.Secret;
  /**
   * The schema registry's v2 API URL (`{"url": ...}`), which the connectors' Avro converters read
   * through the config provider: a connector's configuration holds references only.
   */
  readonly schemaRegistryEndpointSecret: secretsmanager.Secret;
  /**
   * The endpoint secret's own key, whose allow-list is the three connector roles: the public sink
   * reads the endpoint too, and must not join the allow-list of the data-plane key, which protects
   * MNPI (Debezium's credentials, the registry's database password, the connectors' logs).
   */
  readonly schemaRegistryEndpointKey: kms.Key;
  readonly connectors: ReadonlyMap<string, MskConnector>;
  readonly services: Services;
  /** The IAM role the bootstrapper's first run on a new cluster creates its own ACLs with. */
  readonly kafkaBreakGlass: KafkaBreakGlassRole;
  private readonly zoneNames: string[];

  constructor(scope: Construct, id: string, props: DataPlaneStackProps) {
    super(scope, id, props);
    const { model, config, infra } = props;
    // The design's order: the infra stack (network, MSK, database) deploys first. Declared before any
    // flow, so the security-group rules that name this stack's groups are written in this stack.
    this.addStackDependency(infra);
    // Strong references (exports): CloudFormation then refuses to remove from the infra stack a
    // cluster, role or security group this stack still uses.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    this.zoneNames = config.availabilityZones;
    const prefix = `${model.project}-${config.name}`;
    const logRetention = logRetentionFor(config.auditRetentionDays);

    // The same key administration as the infra stack: its model-named administrator, no one else.
    new KeyAdministration(this, { administrator: props.infra.keyAdministrator });
    this.key = secureKey(this, 'Key', {
      description: `${prefix} data plane: connector logs and the Debezium database credentials`,
      alias: `alias/${prefix}-data-plane`,
    });
    this.key.grant(
      new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`).withConditions({
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': this.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      }),
      'kms:Encrypt*',
      'kms:Decrypt*',
      'kms:ReEncrypt*',
      'kms:GenerateDataKey*',
      'kms:Describe*',
    );

    // Debezium's own PostgreSQL role (model: source.debeziumRole), never the admin credentials.
    this.debeziumDatabaseSecret = new secretsmanager.Secret(this, 'DebeziumDatabaseSecret', {
      secretName: `${prefix}/debezium/database`,
      description: `PostgreSQL credentials of ${model.source.debeziumRole}, read by the Debezium connector only`,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: model.source.debeziumRole }),
        generateStringKey: 'password',
        passwordLength: 40,
        excludeCharacters: '"\'\\`$;{}:@/',
      },
    });
    for (const rule of ['AwsSolutions-SMG4', 'NIST.800.53.R5-SecretsManagerRotationEnabled']) {
      acknowledgeNag(
        this.debeziumDatabaseSecret.node.defaultChild!,
        rule,
        'The connector reads this password through the config provider when its tasks start; rotation needs the PostgreSQL role updated in step, which the database role setup does, not a scheduled rotation.',
      );
    }
    denySecretPolicyChanges(this.debeziumDatabaseSecret, KeyAdministration.of(this).deploymentRoleArn);
    classify(this.debeziumDatabaseSecret, mostRestrictedZone(model, config.name, [...ZONES]));

    // The services first: the connectors' flows and converters name the schema registry.
    this.services = addServices(this, { model, config, infra, key: this.key, logRetention });
    const registryEndpointName = `${prefix}/schema-registry/endpoint`;
    this.schemaRegistryEndpointKey = secureKey(this, 'SchemaRegistryEndpointKey', {
      description: `${prefix}: the schema registry endpoint secret the MSK Connect connectors read`,
      alias: `alias/${prefix}-schema-registry-endpoint`,
    });
    classify(this.schemaRegistryEndpointKey, 'public');
    this.schemaRegistryEndpointSecret = new secretsmanager.Secret(this, 'SchemaRegistryEndpointSecret', {
      secretName: registryEndpointName,
      description: "The schema registry's v2 API URL, read by the MSK Connect connectors only",
      encryptionKey: this.schemaRegistryEndpointKey,
      removalPolicy: RemovalPolicy.RETAIN,
      // An address in the VPC's private namespace, not a credential: the secret exists because the
      // connectors resolve every value through the config provider.
      secretObjectValue: {
        url: SecretValue.unsafePlainText(`${this.services.schemaRegistryUrl}/apis/registry/v2`),
      },
    });
    for (const rule of ['AwsSolutions-SMG4', 'NIST.800.53.R5-SecretsManagerRotationEnabled']) {
      acknowledgeNag(
        this.schemaRegistryEndpointSecret.node.defaultChild!,
        rule,
        "The registry's address in the VPC's private namespace, not a credential: nothing to rotate; a new address is a new deploy.",
      );
    }
    denySecretPolicyChanges(this.schemaRegistryEndpointSecret, KeyAdministration.of(this).deploymentRoleArn);
    // An address, named the same in every zone: no table, column or record.
    classify(this.schemaRegistryEndpointSecret, 'public');

    const plugins = new Map<ConnectPluginId, ConnectPlugin>();
    for (const id of Object.keys(CONNECT_PLUGINS) as ConnectPluginId[]) {
      const asset = pluginAsset(this, `PluginAsset-${id}`, id, props.pluginMode ?? 'placeholder');
      plugins.set(
        id,
        new ConnectPlugin(this, `Plugin-${id}`, {
          name: `${prefix}-${id}-${asset.assetHash.slice(0, 8)}`,
          description: CONNECT_PLUGINS[id].description,
          bucket: asset.bucket,
          objectKey: asset.s3ObjectKey,
        }),
      );
    }
    const workers = new ConnectWorkerConfiguration(this, 'Workers', {
      name: `${prefix}-connect-workers`,
      model,
      env: config.name,
    });

    const database = infra.database.instance;
    const specs = deriveMskConnectors(model, config.name, {
      database: {
        hostname: database.dbInstanceEndpointAddress,
        port: POSTGRES_PORT,
        secretArn: this.debeziumDatabaseSecret.secretArn,
      },
      region: this.region,
      schemaRegistry: { secretName: registryEndpointName },
      sinkTarget: (zone) => {
        const lakeZone = infra.zones.get(zone)!;
        return { bucket: lakeZone.bucket('raw').bucketName, kmsKeyArn: lakeZone.key.keyArn };
      },
    });

    // Roles that use the data-plane key (for the Debezium database secret); the key's allow-list.
    const keyUsers: iam.IRole[] = [];
    // The connector roles, which read the registry endpoint: its key's allow-list.
    const endpointReaders: iam.IRole[] = [];
    const connectors = new Map<string, MskConnector>();
    for (const spec of specs) {
      const securityGroup = new ec2.SecurityGroup(this, `ConnectorSecurityGroup-${spec.principal}`, {
        vpc: infra.network.vpc,
        description: `MSK Connect connector ${spec.baseName}: declared flows only`,
        allowAllOutbound: false,
      });
      infra.kafka.allowClientsFrom(securityGroup, `connector ${spec.principal}`);
      infra.network.allowEndpointAccess(securityGroup, `connector ${spec.principal}`);
      SgIngress.allow(
        securityGroup,
        this.services.schemaRegistry.securityGroup,
        ec2.Port.tcp(SCHEMA_REGISTRY_PORT),
        `connector ${spec.principal} (schema registry)`,
      );
      const sinkRole = infra.sinkRoles.get(`${spec.principal}/raw`);
      if (spec.plugin === 'sink' && !sinkRole) {
        throw new Error(`data plane: no sink writer role for ${spec.principal}/raw in the infra stack`);
      }
      const connector = new MskConnector(this, `Connector-${spec.principal}`, {
        baseName: spec.baseName,
        connectorConfiguration: spec.config,
        plugins: [plugins.get(spec.plugin)!.plugin],
        workerConfiguration: workers.configuration,
        cluster: infra.kafka,
        securityGroup,
        kafkaGrants: deriveMskIamGrants(model, config.name, spec.principal),
        executionRole: sinkRole?.role,
        logKey: this.key,
        logRetention,
      });
      // The role acts for the model's principal: the access proof takes its clearance from this tag.
      if (!sinkRole) Tags.of(connector.role).add('principal', spec.principal);
      if (spec.plugin === 'debezium') {
        infra.database.allowConnectionsFrom(securityGroup, `connector ${spec.principal}`);
        this.debeziumDatabaseSecret.grantRead(connector.role);
        keyUsers.push(connector.role);
      }
      this.grantEndpointRead(connector, spec.principal);
      endpointReaders.push(connector.role);
      classify(
        connector,
        spec.zone === 'all' ? mostRestrictedZone(model, config.name, [...ZONES]) : spec.zone,
      );
      connectors.set(spec.principal, connector);
    }
    this.connectors = connectors;
    // The zone keys' treatment: of the account's principals only the deployment role (which creates
    // the secret, log groups, repository and file system with it) and the roles granted above may
    // use the key; CloudWatch Logs, ECR and EFS use it as AWS services under their grants.
    const deploymentRoleArn = KeyAdministration.of(this).deploymentRoleArn;
    denyUseExceptAllowList(this.key, {
      sid: 'DenyUseOutsideDataPlaneAllowList',
      allowed: () => [
        deploymentRoleArn,
        ...[...keyUsers, ...this.services.dataPlaneKeyUsers].map((r) => r.roleArn),
      ],
    });
    denyUseExceptAllowList(this.schemaRegistryEndpointKey, {
      sid: 'DenyUseOutsideRegistryEndpointAllowList',
      allowed: () => [deploymentRoleArn, ...endpointReaders.map((r) => r.roleArn)],
    });
    this.kafkaBreakGlass = addKafkaBreakGlass(this, {
      model,
      config,
      infra,
      bootstrapper: this.services.bootstrapper,
    });
    // Source setup and topic bootstrap run on every deploy, before the connectors are created or updated.
    const preDeploy = addPreDeployTasks(this, {
      model,
      config,
      infra,
      services: this.services,
      key: this.key,
      logRetention,
      debeziumDatabaseSecret: this.debeziumDatabaseSecret,
      connectors: connectors.values(),
    });
    // The source setup reads Debezium's secret (to set the role's password): a user of this key.
    keyUsers.push(preDeploy.sourceSetup.taskDefinition.taskRole);

    applyPlatformTags(this, {
      project: model.project,
      environment: config.name,
      costCentre: model.costCentre,
    });
  }

  /**
   * Read of the registry endpoint for a connector's execution role. A sink's role belongs to the infra
   * stack, deployed first: its grant is a policy of this stack attached to it, since a statement in
   * its own policy would make the infra stack name this stack's secret (a cycle). The connector is
   * created only once its role may read the secret, which its converters resolve when tasks start.
   */
  private grantEndpointRead(connector: MskConnector, principal: string): void {
    const secret = this.schemaRegistryEndpointSecret;
    if (Stack.of(connector.role) === this) {
      secret.grantRead(connector.role);
      return;
    }
    const policy = new iam.Policy(this, `SchemaRegistryEndpointRead-${principal}`, {
      roles: [connector.role],
      statements: [
        new iam.PolicyStatement({
          actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          resources: [secret.secretArn],
        }),
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [this.schemaRegistryEndpointKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com` } },
        }),
      ],
    });
    acknowledgeNag(
      policy,
      'NIST.800.53.R5-IAMNoInlinePolicy',
      `Connector ${principal}'s read of the schema registry endpoint (one secret, and its key through Secrets Manager), attached to its execution role only.`,
    );
    connector.connector.node.addDependency(policy);
  }

  /** Zones named from the region in the model, so synthesis never asks an account for them. */
  override get availabilityZones(): string[] {
    return this.zoneNames;
  }
}
