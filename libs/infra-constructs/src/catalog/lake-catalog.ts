import { Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { KeyAdministration } from '../defaults/key-administration';
import { denyUseExceptAllowList, secureKey } from '../defaults/secure-key';
import { classify } from '../tagging/platform-tags';
import { partitionProjectionParameters, type PartitionKeySpec } from './partition-projection';

export interface CatalogDatabaseSpec {
  readonly name: string;
  readonly zone: string;
  readonly layer: string;
}

export interface RawTableInput {
  readonly database: string;
  readonly name: string;
  readonly zone: string;
  /** Key prefix of the table's objects in the raw bucket, ending with '/' (the CDC topic). */
  readonly prefix: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
}

export interface LakeCatalogProps {
  /** One Glue database per zone and layer (model: deriveGlueDatabases). */
  readonly databases: readonly CatalogDatabaseSpec[];
  /** One raw table per CDC topic (model: deriveRawTables). */
  readonly rawTables: readonly RawTableInput[];
  /** The bucket holding a database's objects (its zone and layer). */
  readonly bucketOf: (database: CatalogDatabaseSpec) => IBucket;
  /** The partition keys of the sinks' time-based layout (model: RAW_PARTITION_KEYS). */
  readonly partitionKeys: readonly PartitionKeySpec[];
  /** Retention in days: bounds the projected date range. */
  readonly retentionDays: number;
  /**
   * Alias of the key that encrypts the account's Data Catalog (table and column names included).
   * @default `alias/<stack name>-catalog`
   */
  readonly keyAlias?: string;
}

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
 * The Glue catalog of the lake: a database per zone and layer and a raw table per CDC topic, read
 * with partition projection (no crawler: the layout is known, so partitions are computed, not found).
 */
export class LakeCatalog extends Construct {
  private readonly databases = new Map<string, glue.CfnDatabase>();
  private readonly specs = new Map<string, CatalogDatabaseSpec>();
  private readonly readers = new Map<string, iam.IRole>();
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
      // CloudFormation writes the databases and tables; readers are the roles granted below.
      allowed: () => [deploymentRoleArn, ...[...this.readers.values()].map((r) => r.roleArn)],
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
      resource.addDependency(encryption);
      this.databases.set(db.name, resource);
      this.specs.set(db.name, db);
    }

    for (const table of props.rawTables) {
      const database = this.databases.get(table.database);
      if (!database) {
        throw new Error(
          `LakeCatalog ${this.node.path}: raw table ${table.name} names database ${table.database}, which is not in props.databases`,
        );
      }
      if (!table.prefix.endsWith('/')) {
        throw new Error(
          `LakeCatalog ${this.node.path}: raw table ${table.name} prefix '${table.prefix}' must end with '/'`,
        );
      }
      const location = `s3://${props.bucketOf(this.specs.get(table.database)!).bucketName}/${table.prefix}`;
      const resource = new glue.CfnTable(this, `Table-${table.database}-${table.name}`, {
        catalogId: account,
        databaseName: table.database,
        tableInput: {
          name: table.name,
          description: `Raw CDC change events of ${table.name} (zone ${table.zone})`,
          tableType: 'EXTERNAL_TABLE',
          parameters: {
            classification: 'json',
            EXTERNAL: 'TRUE',
            ...partitionProjectionParameters(props.partitionKeys, location, props.retentionDays),
          },
          partitionKeys: props.partitionKeys.map((k) => ({ name: k.name, type: k.type })),
          storageDescriptor: {
            location,
            columns: table.columns.map((c) => ({ name: c.name, type: c.type })),
            inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
            serdeInfo: {
              serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
              parameters: { 'ignore.malformed.json': 'false', 'case.insensitive': 'true' },
            },
          },
        },
      });
      resource.addResourceDependency(database);
      classify(resource, table.zone);
    }
  }

  /** Names of the catalog's databases. */
  get databaseNames(): string[] {
    return [...this.databases.keys()];
  }

  /** ARN pattern of every table in a database. */
  tablesArn(databaseName: string): string {
    return Stack.of(this).formatArn({ service: 'glue', resource: `table/${databaseName}/*` });
  }

  /** Read access to the named databases and every table in them, nothing else in the catalog. */
  grantRead(grantee: iam.IGrantable, databaseNames: readonly string[]): iam.Grant {
    const stack = Stack.of(this);
    const role = grantee.grantPrincipal;
    if (!(role instanceof iam.Role)) {
      throw new Error(
        `LakeCatalog ${this.node.path}: grantRead needs a role (it joins the catalog key's allow-list), got ${role.toString()}`,
      );
    }
    this.readers.set(role.node.path, role);
    this.key.grantDecrypt(role);
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
}
