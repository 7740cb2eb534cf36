import { loadPlatformModel, type EnvName, type PlatformModel } from '@lakewall/platform-model';
import { availabilityZonesFor } from '@lakewall/infra-constructs';

/** The environments that get AWS infrastructure (local runs on the developer's machine). */
export const CLOUD_ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type CloudEnvName = (typeof CLOUD_ENVIRONMENTS)[number];

/** Everything a stage needs about one environment, read from the platform model. */
export interface EnvironmentConfig {
  readonly name: CloudEnvName;
  readonly account: string;
  readonly region: string;
  readonly availabilityZones: string[];
  readonly cidr: string;
  readonly retentionDays: number;
  /** Access logs, audit trail and service logs. */
  readonly auditRetentionDays: number;
  readonly postgresEngineVersion: string;
  readonly database: {
    readonly instanceClass: string;
    readonly multiAz: boolean;
    readonly allocatedStorageGiB: number;
    readonly backupRetentionDays: number;
  };
  /** The database and stacks refuse deletion. */
  readonly deletionProtection: boolean;
  /** Object Lock on the audit bucket and Vault Lock on the backup vault. */
  readonly immutableRecords: boolean;
}

/** Reads an environment from the model, failing with the model path of whatever is missing. */
export function environmentConfig(model: PlatformModel, name: CloudEnvName): EnvironmentConfig {
  const env = model.environments[name];
  const missing = (field: string) =>
    new Error(`platform model: environments.${name}.${field} is required for AWS infrastructure`);
  if (!env.account) throw missing('account');
  if (!env.availabilityZones) throw missing('availabilityZones');
  if (!env.database) throw missing('database');
  if (!env.network) throw missing('network');
  if (!env.audit) throw missing('audit');
  return {
    name,
    account: env.account,
    region: env.region,
    availabilityZones: availabilityZonesFor(env.region, env.availabilityZones),
    cidr: env.network.cidr,
    retentionDays: env.lake.retentionDays,
    auditRetentionDays: env.audit.retentionDays,
    postgresEngineVersion: model.source.engineVersion,
    database: env.database,
    deletionProtection: env.deletionProtection,
    immutableRecords: env.immutableRecords,
  };
}

export function loadModel(): PlatformModel {
  return loadPlatformModel();
}

export type { EnvName };
