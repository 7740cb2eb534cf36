import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import {
  AlarmTopic,
  HumanRole,
  IcebergTableMaintenance,
  type HumanTrust,
  KeyAdministration,
  LakeAuditTrail,
  LakeCatalog,
  LakeNetwork,
  LakeQueryAccess,
  LakeZone,
  LogBucket,
  MskCluster,
  SinkWriterRole,
  SourceDatabase,
  applyPlatformTags,
  classify,
} from '@lakewall/infra-constructs';
import {
  ZONES,
  clearedFor,
  deriveAthenaAccess,
  deriveGlueDatabases,
  deriveHumanAccess,
  deriveIcebergTables,
  deriveLakeMaintenance,
  deriveSinks,
  glueDatabaseName,
  icebergTableLocation,
  icebergTablePrefix,
  keyAdministrator,
  lakeBucketName,
  tablesOf,
  type PlatformModel,
  type ZoneName,
} from '@lakewall/platform-model';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environment-config';
import { createKafka } from './kafka';
import { logRetentionFor } from './log-retention';
import { mostRestrictedZone } from './most-restricted-zone';
import { serviceTaskRoleName, SOURCE_SETUP } from './service-roles';

function unknownTable(namespace: string, name: string): never {
  throw new Error(`platform model: Iceberg table ${namespace}.${name} has no location`);
}

/** The layer the sinks write: Iceberg tables, one per CDC topic. */
const RAW_LAYER = 'raw';

export interface LakeInfraStackProps extends StackProps {
  readonly model: PlatformModel;
  readonly config: EnvironmentConfig;
}

/**
 * The infrastructure stack of one environment: network, lake zones, catalog, audit trail, source
 * database and query access, all derived from the platform model. The data plane (MSK, Connect, ECS)
 * goes in its own stack and uses what this one exposes: the network, the zones' sink roles and the
 * database's allowConnectionsFrom.
 */
export class LakeInfraStack extends Stack {
  readonly network: LakeNetwork;
  readonly zones: ReadonlyMap<ZoneName, LakeZone>;
  readonly sinkRoles: ReadonlyMap<string, SinkWriterRole>;
  readonly catalog: LakeCatalog;
  /** Glue table optimizers of each zone's raw Iceberg tables, with their role. */
  readonly tableMaintenance: ReadonlyMap<ZoneName, IcebergTableMaintenance>;
  readonly audit: LakeAuditTrail;
  readonly database: SourceDatabase;
  readonly queryAccess: readonly LakeQueryAccess[];
  /** The one role that administers every key of the stack (model: administersKeys). */
  readonly keyAdministrator: IRole;
  /** Roles that may read the audit trail (model: readsAuditTrail). */
  readonly auditReaders: readonly IRole[];
  /** The MSK cluster (here, as the design places it: the data plane uses it, it does not own it). */
  readonly kafka: MskCluster;
  private readonly zoneNames: string[];

  constructor(scope: Construct, id: string, props: LakeInfraStackProps) {
    super(scope, id, props);
    const { model, config } = props;
    this.zoneNames = config.availabilityZones;
    const prefix = `${model.project}-${config.name}`;
    // Lake data, keys and logs outlive the stack in every environment: deleting them is a decision, not a side effect.
    const removalPolicy = RemovalPolicy.RETAIN;

    // People first: every human role admits exactly who the model lists for this environment, and
    // the key administrator must exist before the first key.
    const people = deriveHumanAccess(model, config.name);
    const personOf = (principal: string) => people.roles.find((r) => r.principal === principal)!;
    const trustOf = (principal: string): HumanTrust => ({
      assumedBy: personOf(principal).assumedBy,
      roleName: personOf(principal).roleName,
      mfaMaxAge: Duration.seconds(people.mfaMaxAgeSeconds),
      identityProvider: { mfaTag: people.mfaTag, identityTag: people.identityTag },
    });
    const humanRole = (id: string, principal: string): HumanRole =>
      new HumanRole(this, id, {
        ...trustOf(principal),
        principal,
        description: personOf(principal).description,
        mfa: personOf(principal).mfa,
      });
    this.keyAdministrator = humanRole('KeyAdministrator', keyAdministrator(people).principal).role;
    const keyAdministration = new KeyAdministration(this, { administrator: this.keyAdministrator });
    this.auditReaders = people.roles
      .filter((r) => r.readsAuditTrail)
      .map((r) => humanRole(`AuditReader-${r.principal}`, r.principal).role);

    const logs = new LogBucket(this, 'AccessLogs', {
      retentionDays: config.auditRetentionDays,
      removalPolicy,
    });
    this.network = new LakeNetwork(this, 'Network', {
      availabilityZones: config.availabilityZones,
      cidr: config.cidr,
      flowLogBucket: logs.bucket,
      providerLogRetention: logRetentionFor(config.auditRetentionDays),
      logsKeyAlias: `alias/${prefix}-network-logs`,
    });

    const zones = new Map<ZoneName, LakeZone>();
    for (const zone of ZONES) {
      zones.set(
        zone,
        new LakeZone(this, `Zone-${zone}`, {
          zone,
          layers: model.layers,
          clearedPrincipals: clearedFor(model, config.name, zone),
          retentionDays: config.retentionDays,
          accessLogsBucket: logs.bucket,
          keyAlias: `alias/${prefix}-${zone}-lake`,
          // One naming function for the cloud and the local stack's S3 server.
          bucketNames: Object.fromEntries(
            model.layers.map((layer) => [layer, lakeBucketName(model, config.name, { zone, layer })]),
          ),
          icebergLayers: [RAW_LAYER],
          // CloudFormation creates the Iceberg tables, and Glue writes their first metadata file as it.
          tableCreatorRoleArn: keyAdministration.deploymentRoleArn,
          removalPolicy,
        }),
      );
    }
    this.zones = zones;
    const zone = (name: ZoneName) => zones.get(name)!;

    const icebergTables = deriveIcebergTables(model);
    const locations = new Map(
      icebergTables.map((t) => [
        `${t.namespace}.${t.name}`,
        icebergTableLocation(lakeBucketName(model, config.name, { zone: t.zone, layer: RAW_LAYER }), t),
      ]),
    );
    this.catalog = new LakeCatalog(this, 'Catalog', {
      databases: deriveGlueDatabases(model),
      icebergTables,
      locationOf: (t) => locations.get(`${t.namespace}.${t.name}`) ?? unknownTable(t.namespace, t.name),
      keyAlias: `alias/${prefix}-catalog`,
    });

    const maintenance = deriveLakeMaintenance(model, config.name);
    const sinkRoles = new Map<string, SinkWriterRole>();
    const tableMaintenance = new Map<ZoneName, IcebergTableMaintenance>();
    for (const sink of deriveSinks(model, config.name)) {
      const write = model.principals[sink.principal]?.lake?.write;
      if (!write) throw new Error(`platform model: sink ${sink.principal} has no lake.write grant`);
      if (write.layers.length !== 1 || write.layers[0] !== RAW_LAYER || write.zones.length !== 1)
        throw new Error(
          `platform model: sink ${sink.principal} must write exactly the ${RAW_LAYER} layer of one zone (its Iceberg tables)`,
        );
      if (sink.namespace !== glueDatabaseName(model, sink.zone, RAW_LAYER))
        throw new Error(
          `platform model: sink ${sink.principal} writes ${sink.namespace}, not its zone's raw database`,
        );
      const tables = this.catalog
        .icebergTables(sink.namespace)
        .filter((t) => sink.tables.some((r) => r.table === t.tableName));
      if (tables.length !== sink.tables.length)
        throw new Error(
          `platform model: sink ${sink.principal} routes to tables the catalog does not declare`,
        );
      const withPrefix = tables.map((t) => ({
        table: t,
        prefix: icebergTablePrefix({ namespace: t.databaseName, name: t.tableName }),
      }));
      sinkRoles.set(
        `${sink.principal}/${RAW_LAYER}`,
        new SinkWriterRole(this, `Sink-${sink.principal}-${RAW_LAYER}`, {
          principal: sink.principal,
          zone: zone(sink.zone),
          layer: RAW_LAYER,
          catalog: this.catalog,
          database: sink.namespace,
          tables: withPrefix.map((t) => ({ name: t.table.tableName, prefix: t.prefix })),
        }),
      );
      tableMaintenance.set(
        sink.zone,
        new IcebergTableMaintenance(this, `TableMaintenance-${sink.zone}`, {
          principal: sink.principal,
          zone: zone(sink.zone),
          layer: RAW_LAYER,
          catalog: this.catalog,
          tables: withPrefix,
          settings: maintenance,
        }),
      );
    }
    this.sinkRoles = sinkRoles;
    this.tableMaintenance = tableMaintenance;
    const unmaintained = icebergTables.find((t) => !tableMaintenance.has(t.zone));
    if (unmaintained)
      throw new Error(
        `platform model: no sink writes zone ${unmaintained.zone}, so its Iceberg tables would have no maintenance`,
      );

    this.queryAccess = deriveAthenaAccess(model, config.name).map(
      (access) =>
        new LakeQueryAccess(this, `Query-${access.principal}`, {
          access,
          zones,
          catalog: this.catalog,
          resultsZone: mostRestrictedZone(model, config.name, access.zones),
          trust: trustOf(access.principal),
        }),
    );

    this.audit = new LakeAuditTrail(this, 'Audit', {
      dataBuckets: [...zones.values()].flatMap((z) => [...z.buckets, z.queryResults.bucket]),
      accessLogsBucket: logs.bucket,
      retentionDays: config.auditRetentionDays,
      keyAlias: `alias/${prefix}-audit`,
      removalPolicy,
      readers: this.auditReaders,
      objectLock: config.immutableRecords,
    });

    const alarms = new AlarmTopic(this, 'Alarms', { keyAlias: `alias/${prefix}-alarms`, removalPolicy });
    // The source database holds every table of the model, so it is as restricted as its most
    // restricted table.
    const databaseZone = mostRestrictedZone(model, config.name, [
      ...new Set(tablesOf(model).map((t) => t.classification)),
    ]);
    this.database = new SourceDatabase(this, 'SourceDatabase', {
      network: this.network,
      instanceClass: config.database.instanceClass,
      multiAz: config.database.multiAz,
      allocatedStorageGiB: config.database.allocatedStorageGiB,
      databaseName: model.source.database,
      engineVersion: config.postgresEngineVersion,
      backupRetention: Duration.days(config.database.backupRetentionDays),
      keyAlias: `alias/${prefix}-source-db`,
      instanceIdentifier: `${prefix}-source`,
      logRetention: logRetentionFor(config.auditRetentionDays),
      alarmTopic: alarms.topic,
      deletionProtection: config.deletionProtection,
      removalPolicy: config.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.SNAPSHOT,
      clearedPrincipals: clearedFor(model, config.name, databaseZone),
      // The deploy-time source setup (data-plane stack, deployed later) reads the admin credentials.
      secretReaderRoleNames: [serviceTaskRoleName(model, config.name, SOURCE_SETUP)],
      lockBackups: config.immutableRecords,
    });
    classify(this.database, databaseZone);

    this.kafka = createKafka(this, 'Kafka', {
      model,
      config,
      network: this.network,
      accessLogsBucket: logs.bucket,
    });

    applyPlatformTags(this, {
      project: model.project,
      environment: config.name,
      costCentre: model.costCentre,
    });
  }

  /** Zones named from the region in the model, so synthesis never asks an account for them. */
  override get availabilityZones(): string[] {
    return this.zoneNames;
  }
}
