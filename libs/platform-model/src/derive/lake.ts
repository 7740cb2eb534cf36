import type { EnvName, LayerName, PlatformModel, ZoneName } from '../schema';
import { ZONES } from '../schema';
import { principalsIn } from './tables';

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
 * Table maintenance of the raw layer's Iceberg tables in one environment (Glue's table optimizers on
 * AWS), derived from the environment's lake retention.
 */
export interface LakeMaintenance {
  /**
   * Snapshots are kept for the whole retention period, so time travel (what the lake held at a given
   * time) reaches back as far as the data is kept; older snapshots and the files only they reference
   * are deleted.
   */
  readonly snapshotRetentionDays: number;
  /** At least this many snapshots survive expiry, however old (the current one, at least). */
  readonly snapshotsToRetain: number;
  /**
   * Files no snapshot references (left by failed commits) are deleted once this old: far longer than
   * any commit takes, so an in-flight commit's files are never taken.
   */
  readonly orphanFileRetentionDays: number;
}

/** Orphan files older than this are deleted: days, against commits that take seconds. */
export const ORPHAN_FILE_RETENTION_DAYS = 3;

export function deriveLakeMaintenance(model: PlatformModel, env: EnvName): LakeMaintenance {
  const retentionDays = model.environments[env].lake.retentionDays;
  return {
    snapshotRetentionDays: retentionDays,
    snapshotsToRetain: 1,
    orphanFileRetentionDays: Math.min(ORPHAN_FILE_RETENTION_DAYS, retentionDays),
  };
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
