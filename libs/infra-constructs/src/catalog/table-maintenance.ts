import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { LakeZone } from '../lake/lake-zone';
import { acknowledgeNag } from '../nag/acknowledge';
import { acknowledgeWildcard, wildcardResourceFinding } from '../nag/wildcard-findings';
import type { IcebergTable } from './iceberg-table';
import type { LakeCatalog } from './lake-catalog';

/** Maintenance settings of one environment (model: deriveLakeMaintenance). */
export interface TableMaintenanceSettings {
  readonly snapshotRetentionDays: number;
  readonly snapshotsToRetain: number;
  readonly orphanFileRetentionDays: number;
}

export interface IcebergTableMaintenanceProps {
  /**
   * The model principal that owns the tables (the zone's sink: it writes them; maintenance rewrites
   * what it wrote). Must be cleared for the zone.
   */
  readonly principal: string;
  readonly zone: LakeZone;
  /** The layer whose bucket holds the tables. */
  readonly layer: string;
  readonly catalog: LakeCatalog;
  /** The tables, each with its key prefix in the layer's bucket. */
  readonly tables: readonly { readonly table: IcebergTable; readonly prefix: string }[];
  readonly settings: TableMaintenanceSettings;
  /**
   * How compaction rewrites small files.
   * @default 'binpack' (the raw layer is an append-only change log: no sort order to keep)
   */
  readonly compactionStrategy?: 'binpack' | 'sort' | 'z-order';
}

/** Log groups Glue's Iceberg optimizers write their run logs to, one per optimizer type. */
const OPTIMIZER_LOG_GROUPS = [
  '/aws-glue/iceberg-compaction/logs',
  '/aws-glue/iceberg-retention/logs',
  '/aws-glue/iceberg-orphan-file-deletion/logs',
];

/**
 * Glue's table optimizers on a zone's Iceberg tables, with their own role: compaction (the sinks
 * commit small files every interval), snapshot retention (expires snapshots older than the
 * environment's retention and deletes the files only they reference) and orphan-file deletion
 * (files of failed commits). The role reaches only these tables' files, the zone key and these
 * tables in the catalog, and writes the optimizers' logs.
 */
export class IcebergTableMaintenance extends Construct {
  readonly role: iam.Role;
  readonly optimizers: glue.CfnTableOptimizer[] = [];

  constructor(scope: Construct, id: string, props: IcebergTableMaintenanceProps) {
    super(scope, id);
    const s = props.settings;
    for (const [name, value] of Object.entries(s)) {
      if (!Number.isInteger(value) || value < 1)
        throw new Error(
          `IcebergTableMaintenance ${this.node.path}: ${name} must be a positive integer, got ${value}`,
        );
    }
    if (s.orphanFileRetentionDays > s.snapshotRetentionDays)
      throw new Error(
        `IcebergTableMaintenance ${this.node.path}: orphan files (${s.orphanFileRetentionDays} days) outlive snapshots (${s.snapshotRetentionDays} days)`,
      );
    if (props.tables.length === 0) throw new Error(`IcebergTableMaintenance ${this.node.path}: no tables`);
    const databases = [...new Set(props.tables.map((t) => t.table.databaseName))];
    const [database] = databases;
    if (!database || databases.length !== 1)
      throw new Error(
        `IcebergTableMaintenance ${this.node.path}: tables of one database only, got ${databases.join(', ')}`,
      );
    const stack = Stack.of(this);

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
      description: `${props.principal}: Glue table maintenance of the ${props.layer} layer of zone ${props.zone.zone}`,
    });
    const prefixes = props.tables.map((t) => t.prefix);
    props.zone.grantTableMaintenance(props.principal, this.role, props.layer, prefixes);
    props.catalog.grantCommit(
      this.role,
      database,
      props.tables.map((t) => t.table.tableName),
    );
    const logGroupArns = OPTIMIZER_LOG_GROUPS.map((group) =>
      stack.formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: `${group}:*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    const logs = iam.Grant.addToPrincipal({
      grantee: this.role,
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      resourceArns: logGroupArns,
    });

    for (const { table } of props.tables) {
      const optimizer = (
        type: string,
        config: Partial<glue.CfnTableOptimizer.TableOptimizerConfigurationProperty>,
      ) => {
        const resource = new glue.CfnTableOptimizer(this, `${table.tableName}-${type}`, {
          catalogId: stack.account,
          databaseName: table.databaseName,
          tableName: table.tableName,
          type,
          tableOptimizerConfiguration: { enabled: true, roleArn: this.role.roleArn, ...config },
        });
        resource.addResourceDependency(table.resource);
        // An optimizer runs as soon as it exists: its role must already have its policy.
        logs.applyBefore(resource);
        this.optimizers.push(resource);
      };
      optimizer('compaction', {
        compactionConfiguration: {
          icebergConfiguration: { strategy: props.compactionStrategy ?? 'binpack' },
        },
      });
      optimizer('retention', {
        retentionConfiguration: {
          icebergConfiguration: {
            snapshotRetentionPeriodInDays: s.snapshotRetentionDays,
            numberOfSnapshotsToRetain: s.snapshotsToRetain,
            cleanExpiredFiles: true,
          },
        },
      });
      optimizer('orphan_file_deletion', {
        orphanFileDeletionConfiguration: {
          icebergConfiguration: {
            orphanFileRetentionPeriodInDays: s.orphanFileRetentionDays,
            location: table.location,
          },
        },
      });
    }

    this.acknowledgeGrantWildcards(props, prefixes, logGroupArns);
  }

  private acknowledgeGrantWildcards(
    props: IcebergTableMaintenanceProps,
    prefixes: readonly string[],
    logGroupArns: readonly string[],
  ): void {
    const role = this.role;
    const bucket = props.zone.bucket(props.layer);
    acknowledgeWildcard(
      role,
      'Action::kms:GenerateDataKey*',
      'Encrypting rewritten files and metadata with keys whose policies admit only listed roles',
    );
    acknowledgeWildcard(
      role,
      'Action::kms:ReEncrypt*',
      "Key grants (zone and catalog); each key's policy admits only the roles it lists",
    );
    for (const prefix of prefixes)
      acknowledgeWildcard(
        role,
        wildcardResourceFinding(role, bucket.arnForObjects(`${prefix}*`)),
        `Files of the Iceberg table under ${prefix}, which maintenance compacts and expires`,
      );
    for (const arn of logGroupArns)
      acknowledgeWildcard(
        role,
        wildcardResourceFinding(role, arn),
        "Log streams of Glue's optimizer log group, which Glue names per run",
      );
    acknowledgeNag(
      role.node.findChild('DefaultPolicy'),
      'NIST.800.53.R5-IAMNoInlinePolicy',
      "CDK grant methods write this role's least-privilege statements into a policy attached to this role only.",
    );
  }
}
