import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import { classify } from '../tagging/platform-tags';

/** An Iceberg type in Iceberg's JSON form: a primitive name, or a struct of fields. */
export type IcebergTypeInput =
  string | { readonly type: 'struct'; readonly fields: readonly IcebergFieldInput[] };

export interface IcebergFieldInput {
  readonly id: number;
  readonly name: string;
  readonly required: boolean;
  readonly type: IcebergTypeInput;
  readonly doc?: string;
}

/** One Iceberg table as the platform model declares it (model: deriveIcebergTables). */
export interface IcebergTableInput {
  readonly zone: string;
  /** The Glue database (Iceberg namespace). */
  readonly namespace: string;
  readonly name: string;
  readonly schema: { readonly fields: readonly IcebergFieldInput[] };
  readonly partitionBy: readonly {
    readonly transform: string;
    /** Source column, dotted for a struct field. */
    readonly column: string;
    readonly name: string;
    readonly fieldId: number;
  }[];
}

export interface IcebergTableProps {
  readonly table: IcebergTableInput;
  /** `s3://<bucket>/<prefix>/`: where Glue writes the first metadata file and writers put data. */
  readonly location: string;
  /**
   * Iceberg table properties beyond the defaults below.
   * @default - format version 2, Parquet with zstd
   */
  readonly properties?: Readonly<Record<string, string>>;
  /**
   * What happens to the table's catalog entry when it leaves the stack (the data stays in S3 either way).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

const DEFAULT_PROPERTIES = {
  'format-version': '2',
  'write.format.default': 'parquet',
  'write.parquet.compression-codec': 'zstd',
};

/**
 * An Apache Iceberg table in the Glue catalog, declared with its schema and partition spec.
 *
 * CloudFormation's `AWS::Glue::Table` creates Iceberg tables in one shape that also survives
 * updates: everything under `OpenTableFormatInput.IcebergInput.IcebergTableInput` and no
 * `TableInput` at all. The other documented shape (Hive columns in `TableInput` plus
 * `MetadataOperation: CREATE`) creates an unpartitioned table and loses `table_type=ICEBERG` on its
 * first update, after which Athena cannot read it. Glue writes the first metadata file under
 * `location` when the table is created.
 */
export class IcebergTable extends Construct {
  readonly tableName: string;
  readonly databaseName: string;
  readonly location: string;
  readonly resource: glue.CfnTable;

  constructor(scope: Construct, id: string, props: IcebergTableProps) {
    super(scope, id);
    const { table } = props;
    if (!/^[a-z0-9_]+$/.test(table.name)) {
      throw new Error(
        `IcebergTable ${this.node.path}: table name '${table.name}' must be lowercase letters, digits and underscores (Glue folds case)`,
      );
    }
    if (!props.location.startsWith('s3://') || !props.location.endsWith('/')) {
      throw new Error(
        `IcebergTable ${this.node.path}: location '${props.location}' must be an s3:// URI ending with '/'`,
      );
    }
    this.tableName = table.name;
    this.databaseName = table.namespace;
    this.location = props.location;

    this.resource = new glue.CfnTable(this, 'Resource', {
      catalogId: Stack.of(this).account,
      databaseName: table.namespace,
      name: table.name,
      openTableFormatInput: {
        icebergInput: {
          metadataOperation: 'CREATE',
          version: '2',
          icebergTableInput: {
            location: props.location,
            schema: { type: 'struct', schemaId: 0, fields: table.schema.fields.map(glueField) },
            partitionSpec: {
              specId: 0,
              fields: table.partitionBy.map((p) => ({
                name: p.name,
                fieldId: p.fieldId,
                transform: p.transform,
                sourceId: fieldIdOf(table, p.column, this.node.path),
              })),
            },
            properties: { ...DEFAULT_PROPERTIES, ...props.properties },
          },
        },
      },
    });
    this.resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    classify(this.resource, table.zone);
  }

  /** The table's ARN. */
  get tableArn(): string {
    return Stack.of(this).formatArn({
      service: 'glue',
      resource: 'table',
      resourceName: `${this.databaseName}/${this.tableName}`,
    });
  }
}

/**
 * A top-level field as CloudFormation takes it: the type is a string, so a nested type is its
 * Iceberg JSON, encoded (Glue's API takes the type as a JSON value and decodes it).
 */
export function glueField(field: IcebergFieldInput): glue.CfnTable.IcebergStructFieldProperty {
  return {
    id: field.id,
    name: field.name,
    required: field.required,
    type: typeof field.type === 'string' ? field.type : JSON.stringify(field.type),
    ...(field.doc ? { doc: field.doc } : {}),
  };
}

/** The id of a (possibly dotted, struct-nested) column; throws naming the table if it has none. */
export function fieldIdOf(table: IcebergTableInput, column: string, path: string): number {
  let fields: readonly IcebergFieldInput[] = table.schema.fields;
  let found: IcebergFieldInput | undefined;
  for (const part of column.split('.')) {
    found = fields.find((f) => f.name === part);
    if (!found) break;
    fields = typeof found.type === 'string' ? [] : found.type.fields;
  }
  if (!found || typeof found.type !== 'string') {
    throw new Error(
      `IcebergTable ${path}: partition source '${column}' is not a primitive column of ${table.name}`,
    );
  }
  return found.id;
}
