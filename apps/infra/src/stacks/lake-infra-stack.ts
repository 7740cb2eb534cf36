import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import {
  AlarmTopic,
  HumanRole,
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
  RAW_PARTITION_KEYS,
  ZONES,
  clearedFor,
  deriveAthenaAccess,
  deriveGlueDatabases,
  deriveHumanAccess,
  deriveRawTables,
  deriveSinks,
  keyAdministrator,
  tablesOf,
  type PlatformModel,
  type ZoneName,
} from '@lakewall/platform-model';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environment-config';
import { createKafka } from './kafka';
import { logRetentionFor } from './log-retention';
import { mostRestrictedZone } from './most-restricted-zone';

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
    new KeyAdministration(this, { administrator: this.keyAdministrator });
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
          removalPolicy,
        }),
      );
    }
    this.zones = zones;
    const zone = (name: ZoneName) => zones.get(name)!;

    const rawTables = deriveRawTables(model);
    const sinkRoles = new Map<string, SinkWriterRole>();
    for (const sink of deriveSinks(model, config.name)) {
      const write = model.principals[sink.principal]?.lake?.write;
      if (!write) throw new Error(`platform model: sink ${sink.principal} has no lake.write grant`);
      const prefixes = rawTables
        .filter((t) => t.zone === sink.zone && sink.topics.includes(t.topic))
        .map((t) => t.prefix);
      for (const layer of write.layers) {
        sinkRoles.set(
          `${sink.principal}/${layer}`,
          new SinkWriterRole(this, `Sink-${sink.principal}-${layer}`, {
            principal: sink.principal,
            zone: zone(sink.zone),
            layer,
            prefixes,
          }),
        );
      }
    }
    this.sinkRoles = sinkRoles;

    this.catalog = new LakeCatalog(this, 'Catalog', {
      databases: deriveGlueDatabases(model),
      rawTables,
      bucketOf: (db) => zone(db.zone as ZoneName).bucket(db.layer),
      partitionKeys: RAW_PARTITION_KEYS,
      retentionDays: config.retentionDays,
      keyAlias: `alias/${prefix}-catalog`,
    });

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
