import { Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { KeyAdministration } from '../defaults/key-administration';
import { denyUseExceptAllowList, secureKey } from '../defaults/secure-key';
import { classify } from '../tagging/platform-tags';
import { IcebergTable, type IcebergTableInput } from './iceberg-table';

export interface CatalogDatabaseSpec {
  readonly name: string;
  readonly zone: string;
  readonly layer: string;
}

export interface LakeCatalogProps {
  /** One Glue database per zone and layer (model: deriveGlueDatabases). */
  readonly databases: readonly CatalogDatabaseSpec[];
  /** The raw layer's Iceberg tables, one per CDC topic (model: deriveIcebergTables). */
  readonly icebergTables: readonly IcebergTableInput[];
  /** Where a table lives: `s3://<its zone's raw bucket>/<prefix>/` (model: icebergTableLocation). */
  readonly locationOf: (table: IcebergTableInput) => string;
  /**
   * Alias of the key that encrypts the account's Data Catalog (table and column names included).
   * @default `alias/<stack name>-catalog`
   */
  readonly keyAlias?: string;
}

/**
 * Glue actions an Iceberg writer's commit needs (Iceberg's GlueCatalog): read the table, then swap
 * its metadata location with a conditional UpdateTable. No CreateTable: tables are declared here.
 */
const GLUE_COMMIT_ACTIONS = ['glue:GetDatabase', 'glue:GetTable', 'glue:UpdateTable'];

/** Glue read actions Athena needs to plan a query. */
const GLUE_READ_ACTIONS = [
  'glue:GetDatabase',
  'glue:GetDatabases',
  'glue:GetTable',
  'glue:GetTables',
  'glue:GetPartition',
  'glue:GetPartitions',
  'glue:BatchGetPartition',
];

/**
 * The Glue catalog of the lake: a database per zone and layer and, in each zone's raw database, an
 * Iceberg table per CDC topic, declared from the model (no crawler, no table the sinks create).
 */
export class LakeCatalog extends Construct {
  private readonly databases = new Map<string, glue.CfnDatabase>();
  private readonly tables = new Map<string, IcebergTable>();
  private readonly keyUsers = new Map<string, iam.IRole>();
  /** Encrypts the catalog's metadata at rest; readers are its allow-list. */
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: LakeCatalogProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const account = stack.account;

    // Data Catalog encryption is a per-account, per-region setting; this stack owns the lake's account.
    this.key = secureKey(this, 'Key', {
      alias: props.keyAlias ?? `alias/${stack.stackName}-catalog`,
      description: 'Glue Data Catalog metadata of the lake',
    });
    const deploymentRoleArn = KeyAdministration.of(this).deploymentRoleArn;
    denyUseExceptAllowList(this.key, {
      sid: 'DenyUseByOthersThanCatalogReaders',
      // CloudFormation writes the databases and tables; readers and committers are the roles granted below.
      allowed: () => [deploymentRoleArn, ...[...this.keyUsers.values()].map((r) => r.roleArn)],
    });
    const encryption = new glue.CfnDataCatalogEncryptionSettings(this, 'Encryption', {
      catalogId: account,
      dataCatalogEncryptionSettings: {
        encryptionAtRest: { catalogEncryptionMode: 'SSE-KMS', sseAwsKmsKeyId: this.key.keyArn },
        connectionPasswordEncryption: {
          returnConnectionPasswordEncrypted: true,
          kmsKeyId: this.key.keyArn,
        },
      },
    });

    for (const db of props.databases) {
      const resource = new glue.CfnDatabase(this, `Db-${db.name}`, {
        catalogId: account,
        databaseInput: { name: db.name, description: `Lake ${db.layer} layer, zone ${db.zone}` },
      });
      classify(resource, db.zone);
      // Metadata is written only once the catalog encrypts it.
      resource.addResourceDependency(encryption);
      this.databases.set(db.name, resource);
    }

    for (const table of props.icebergTables) {
      const database = this.databases.get(table.namespace);
      if (!database) {
        throw new Error(
          `LakeCatalog ${this.node.path}: Iceberg table ${table.name} names database ${table.namespace}, which is not in props.databases`,
        );
      }
      // The id names database and table, never a column: renaming a column keeps the resource.
      const created = new IcebergTable(this, `Iceberg-${table.namespace}-${table.name}`, {
        table,
        location: props.locationOf(table),
      });
      created.resource.addResourceDependency(database);
      this.tables.set(`${table.namespace}.${table.name}`, created);
    }
  }

  /** Names of the catalog's databases. */
  get databaseNames(): string[] {
    return [...this.databases.keys()];
  }

  /** The Iceberg tables of a database, in model order. */
  icebergTables(databaseName: string): IcebergTable[] {
    return [...this.tables.values()].filter((t) => t.databaseName === databaseName);
  }

  /** ARN pattern of every table in a database. */
  tablesArn(databaseName: string): string {
    return Stack.of(this).formatArn({ service: 'glue', resource: `table/${databaseName}/*` });
  }

  /** Read access to the named databases and every table in them, nothing else in the catalog. */
  grantRead(grantee: iam.IGrantable, databaseNames: readonly string[]): iam.Grant {
    const stack = Stack.of(this);
    this.key.grantDecrypt(this.keyUser(grantee, 'grantRead'));
    const arn = (resource: string) => stack.formatArn({ service: 'glue', resource });
    const resourceArns = [arn('catalog')];
    for (const name of databaseNames) {
      if (!this.databases.has(name)) {
        throw new Error(
          `LakeCatalog ${this.node.path}: grantRead on unknown database '${name}' (known: ${this.databaseNames.join(', ')})`,
        );
      }
      resourceArns.push(arn(`database/${name}`), this.tablesArn(name));
    }
    return iam.Grant.addToPrincipal({ grantee, actions: GLUE_READ_ACTIONS, resourceArns });
  }

  /**
   * An Iceberg writer's commits on the named tables of one database (a sink, or Glue's table
   * optimizers): read the database and the tables, update the tables' metadata location, and use the
   * catalog key for the metadata it reads and writes. Nothing on other databases or tables.
   */
  grantCommit(grantee: iam.IGrantable, databaseName: string, tableNames: readonly string[]): iam.Grant {
    if (!this.databases.has(databaseName)) {
      throw new Error(
        `LakeCatalog ${this.node.path}: grantCommit on unknown database '${databaseName}' (known: ${this.databaseNames.join(', ')})`,
      );
    }
    if (tableNames.length === 0)
      throw new Error(
        `LakeCatalog ${this.node.path}: grantCommit on ${databaseName} needs at least one table`,
      );
    const tables = tableNames.map((name) => {
      const found = this.tables.get(`${databaseName}.${name}`);
      if (!found)
        throw new Error(
          `LakeCatalog ${this.node.path}: grantCommit on unknown table ${databaseName}.${name}`,
        );
      return found;
    });
    this.key.grantEncryptDecrypt(this.keyUser(grantee, 'grantCommit'));
    const arn = (resource: string) => Stack.of(this).formatArn({ service: 'glue', resource });
    return iam.Grant.addToPrincipal({
      grantee,
      actions: GLUE_COMMIT_ACTIONS,
      resourceArns: [arn('catalog'), arn(`database/${databaseName}`), ...tables.map((t) => t.tableArn)],
    });
  }

  /** A role joining the catalog key's allow-list (the Deny names roles, so it must be one). */
  private keyUser(grantee: iam.IGrantable, method: string): iam.Role {
    const role = grantee.grantPrincipal;
    if (!(role instanceof iam.Role)) {
      throw new Error(
        `LakeCatalog ${this.node.path}: ${method} needs a role (it joins the catalog key's allow-list), got ${role.toString()}`,
      );
    }
    this.keyUsers.set(role.node.path, role);
    return role;
  }
}
