import type { EnvName, LayerName, PlatformModel, ZoneName } from '../schema';
import { ZONES } from '../schema';
import { principalsIn, publishedColumns, tablesInZone, topicName } from './tables';

/** One bucket per zone and layer: access is granted and audited at bucket granularity. */
export interface LakeBucket {
  readonly zone: ZoneName;
  readonly layer: LayerName;
  /** A stable id for constructs and outputs, e.g. "raw-mnpi". */
  readonly id: string;
}

export function deriveLakeBuckets(model: PlatformModel): LakeBucket[] {
  return ZONES.flatMap((zone) => model.layers.map((layer) => ({ zone, layer, id: `${layer}-${zone}` })));
}

/**
 * A lake bucket's name: project, layer, zone and environment, plus the account where there is one
 * (S3 names are global). The local stack's S3 server and the CDK name buckets with this.
 */
export function lakeBucketName(
  model: PlatformModel,
  env: EnvName,
  bucket: Pick<LakeBucket, 'zone' | 'layer'>,
): string {
  const account = (model.environments[env] as { account?: string }).account;
  const name = [model.project, bucket.layer, bucket.zone, env, ...(account ? [account] : [])]
    .join('-')
    .toLowerCase()
    .replace(/_/g, '-');
  if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name))
    throw new Error(
      `lake bucket name '${name}' (${bucket.layer}/${bucket.zone} in ${env}) is not a valid S3 name`,
    );
  return name;
}

export function glueDatabaseName(model: PlatformModel, zone: ZoneName, layer: LayerName): string {
  return `${model.project}_${layer}_${zone}`.replace(/-/g, '_');
}

export function deriveGlueDatabases(
  model: PlatformModel,
): { zone: ZoneName; layer: LayerName; name: string }[] {
  return deriveLakeBuckets(model).map((b) => ({
    zone: b.zone,
    layer: b.layer,
    name: glueDatabaseName(model, b.zone, b.layer),
  }));
}

/**
 * The S3 key layout of the raw layer, shared by the sinks (which write it) and the Glue tables
 * (which project partitions over it): raw objects for a table live under
 * `<topic>/dt=YYYY-MM-DD/hr=HH/`.
 */
export const RAW_PARTITION_KEYS = [
  {
    name: 'dt',
    type: 'string',
    projection: { type: 'date', format: 'yyyy-MM-dd', interval: '1', unit: 'DAYS' },
  },
  { name: 'hr', type: 'string', projection: { type: 'integer', range: '0,23', digits: '2' } },
] as const;

/** The raw layer's top-level folder: the sinks write under it, Glue and IAM point at it. */
export const RAW_TOPICS_DIR = 'topics';

export function rawObjectPrefix(model: PlatformModel, table: string, zone: ZoneName): string {
  return `${RAW_TOPICS_DIR}/${topicName(model, table, zone)}/`;
}

/** The sinks' time-partitioning pattern (Java date-format style) after the topic prefix. */
export const RAW_PATH_FORMAT = "'dt'=yyyy-MM-dd/'hr'=HH";

/** Glue/Hive column types for the PostgreSQL types the model allows. */
export function glueType(pgType: string): string {
  if (pgType === 'bigint') return 'bigint';
  if (pgType === 'integer') return 'int';
  if (pgType === 'smallint') return 'smallint';
  if (pgType === 'boolean') return 'boolean';
  if (pgType === 'double precision') return 'double';
  if (pgType === 'date') return 'date';
  if (pgType.startsWith('numeric')) return pgType.replace('numeric', 'decimal');
  // Timestamps travel as ISO strings in the raw JSON; curated layers type them.
  return 'string';
}

export interface RawTableSpec {
  readonly database: string;
  readonly name: string;
  readonly zone: ZoneName;
  readonly topic: string;
  readonly prefix: string;
  readonly columns: { name: string; type: string }[];
}

/** A raw Glue table per CDC topic, with only the columns that are published. */
export function deriveRawTables(model: PlatformModel): RawTableSpec[] {
  return ZONES.flatMap((zone) =>
    tablesInZone(model, zone).map((table) => ({
      database: glueDatabaseName(model, zone, 'raw'),
      name: table.name,
      zone,
      topic: topicName(model, table.name, zone),
      prefix: rawObjectPrefix(model, table.name, zone),
      columns: publishedColumns(table).map((c) => ({ name: c.name, type: glueType(c.type) })),
    })),
  );
}

export interface AthenaAccess {
  readonly principal: string;
  readonly description: string;
  readonly workgroup: string;
  readonly zones: readonly ZoneName[];
  readonly layers: readonly LayerName[];
  readonly mfa: boolean;
  readonly glueDatabases: readonly string[];
  readonly buckets: readonly LakeBucket[];
}

/** One Athena workgroup per human role, reaching exactly the zones and layers the model grants. */
export function deriveAthenaAccess(model: PlatformModel, env: EnvName): AthenaAccess[] {
  return principalsIn(model, env)
    .filter((p) => p.lake?.query)
    .map((p) => {
      const q = p.lake!.query!;
      const buckets = deriveLakeBuckets(model).filter(
        (b) => q.zones.includes(b.zone) && q.layers.includes(b.layer),
      );
      return {
        principal: p.name,
        description: p.description,
        workgroup: `${model.project}-${p.name}`,
        zones: q.zones,
        layers: q.layers,
        mfa: q.mfa,
        buckets,
        glueDatabases: buckets.map((b) => glueDatabaseName(model, b.zone, b.layer)),
      };
    });
}
