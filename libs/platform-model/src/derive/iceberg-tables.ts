/**
 * The raw layer's Iceberg tables, declared from the model rather than created by the sinks: column
 * types come from the model's columns (a sink auto-creating from schemaless JSON would make numerics
 * and timestamps strings), restricted columns are never declared, and a record for a table that was
 * not declared fails its sink. Each row is one change: the table's published columns (all optional:
 * a delete carries only the key), its position in the source database's log (LSN, transaction id
 * and commit time, which lakewall's SourcePosition transform copies out of Debezium's `source`
 * block), the change metadata Iceberg's DebeziumTransform adds (`_cdc`) and the Kafka coordinates.
 * Partitioned by day of the change's commit time in the database.
 */
import type { PlatformModel, ZoneName } from '../schema';
import { ZONES } from '../schema';
import { glueDatabaseName } from './lake';
import { publishedColumns, tablesInZone } from './tables';

export type IcebergType = string | { type: 'struct'; fields: IcebergField[] };

export interface IcebergField {
  readonly id: number;
  readonly name: string;
  readonly required: boolean;
  readonly type: IcebergType;
  readonly doc?: string;
}

/** Iceberg's JSON schema form (SchemaParser), which the catalogs and Glue both take. */
export interface IcebergSchema {
  readonly type: 'struct';
  readonly 'schema-id': 0;
  readonly fields: IcebergField[];
}

export interface IcebergTableSpec {
  readonly zone: ZoneName;
  readonly namespace: string;
  readonly name: string;
  readonly schema: IcebergSchema;
  /** Partition transforms over source columns, e.g. day of `_source_ts`. */
  readonly partitionBy: readonly IcebergPartitionField[];
}

export interface IcebergPartitionField {
  readonly transform: 'day';
  /** The source column, dotted for a struct field (`_cdc.ts`). */
  readonly column: string;
  /** The partition field's name: the same in every catalog. */
  readonly name: string;
  /** Iceberg numbers partition fields from 1000. */
  readonly fieldId: number;
}

/** The change-metadata struct DebeziumTransform (Iceberg 1.12.0) adds to every record. */
export const CDC_METADATA_COLUMN = '_cdc';
/** The source position columns (names fixed by the SourcePosition transform in the sink plugin). */
export const SOURCE_POSITION_COLUMNS = [
  { name: '_source_lsn', type: 'long', doc: "The change's PostgreSQL log sequence number" },
  { name: '_source_txid', type: 'long', doc: 'The PostgreSQL transaction id of the change' },
  { name: '_source_ts', type: 'timestamptz', doc: 'When the change was committed in the database' },
] as const;
/** Day partitions follow the database's commit time, not when Debezium or the sink saw the change. */
export const CHANGE_TIME_COLUMN = '_source_ts';
/** The raw tables' one partition field: the day the change was committed in the database. */
export const CHANGE_DAY_PARTITION: IcebergPartitionField = {
  transform: 'day',
  column: CHANGE_TIME_COLUMN,
  name: 'change_day',
  fieldId: 1000,
};

/**
 * Where a table's data and metadata live in its zone's raw bucket: `s3://<bucket>/<namespace>/<table>/`.
 * The local stack and the CDK both place tables with this, under the bucket lakeBucketName names.
 */
export function icebergTableLocation(
  bucketName: string,
  table: Pick<IcebergTableSpec, 'namespace' | 'name'>,
): string {
  return `s3://${bucketName}/${icebergTablePrefix(table)}`;
}

/** The key prefix of a table's objects in its bucket (ends with '/'). */
export function icebergTablePrefix(table: Pick<IcebergTableSpec, 'namespace' | 'name'>): string {
  return `${table.namespace}/${table.name}/`;
}

/** Iceberg types for the PostgreSQL types the model allows. */
export function icebergType(pgType: string): string {
  const decimal = /^numeric\((\d+),(\d+)\)$/.exec(pgType);
  if (decimal) return `decimal(${decimal[1]}, ${decimal[2]})`;
  const map: Record<string, string> = {
    bigint: 'long',
    integer: 'int',
    smallint: 'int',
    boolean: 'boolean',
    text: 'string',
    date: 'date',
    timestamptz: 'timestamptz',
    timestamp: 'timestamp',
    'double precision': 'double',
    // Debezium writes both as strings; the lake keeps them as text.
    uuid: 'string',
    jsonb: 'string',
  };
  const t = map[pgType];
  if (!t) throw new Error(`no Iceberg type for PostgreSQL type '${pgType}'`);
  return t;
}

export function deriveIcebergTables(model: PlatformModel): IcebergTableSpec[] {
  return ZONES.flatMap((zone) =>
    tablesInZone(model, zone).map((table) => {
      let id = 0;
      const field = (name: string, type: IcebergType, doc?: string): IcebergField => ({
        id: ++id,
        name,
        required: false,
        type,
        ...(doc ? { doc } : {}),
      });
      const columns = publishedColumns(table).map((c) => field(c.name, icebergType(c.type)));
      const position = SOURCE_POSITION_COLUMNS.map((c) => field(c.name, c.type, c.doc));
      const cdcId = ++id;
      const cdc: IcebergField = {
        id: cdcId,
        name: CDC_METADATA_COLUMN,
        required: false,
        doc: 'The change: operation (I, U, D), when Debezium emitted it, Kafka offset, source and target table',
        type: {
          type: 'struct',
          fields: [
            field('op', 'string'),
            field('ts', 'timestamptz'),
            field('offset', 'long'),
            field('source', 'string'),
            field('target', 'string'),
          ],
        },
      };
      return {
        zone,
        namespace: glueDatabaseName(model, zone, 'raw'),
        name: table.name,
        schema: {
          type: 'struct' as const,
          'schema-id': 0 as const,
          fields: [
            ...columns,
            ...position,
            cdc,
            field('_kafka_topic', 'string'),
            field('_kafka_partition', 'int'),
          ],
        },
        partitionBy: [CHANGE_DAY_PARTITION],
      };
    }),
  );
}
