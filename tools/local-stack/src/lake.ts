/**
 * The local lake: Iceberg tables declared from the model in the JDBC catalog, one Iceberg sink per
 * zone registered on the local Connect worker, and a reader (`ls`, `scan`). Declaring and reading
 * run the Iceberg sink plugin's own jars (java/LakeTool.java), so the lake is read by the code that
 * writes it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  deriveIcebergSinkConnectorConfig,
  deriveIcebergTables,
  deriveSinks,
  icebergTableLocation,
  lakeBucketName,
  type IcebergCatalogTarget,
  type PlatformModel,
  type ZoneName,
} from '@lakewall/platform-model';
import { connectSecretsDir } from './components/connect';
import { endpointOf } from './components';
import { kafkaSecretFile, postgresSecretFile, S3_SECRET_FILE, secretRef } from './connect-secrets';
import { LOCAL_ENV, requireCredentials, stackContext, type StackContext } from './context';
import { hideSecrets, passwordOf, type Credentials } from './credentials';
import { ICEBERG_PLUGIN_NAME, ensureIcebergSinkPlugin } from './iceberg-plugin';
import { findJava } from './install';
import { findMaven, materialize, mvnArgs, run } from './install-helpers';
import { ICEBERG_CATALOG_DATABASE, ICEBERG_CATALOG_ROLE, icebergCatalogName } from './lake-local';
import { HOST } from './ports';
import { loadVersions } from './versions';
import { connectClient, upsertConnector, waitForConnectorRunning } from './index';

const LAKE_TOOL = path.join(__dirname, '..', 'java', 'LakeTool.java');
/**
 * Reading Parquet (not writing it) needs one more Hadoop class (mapreduce's FileInputFormat): the
 * reader gets it, the sink plugin stays as small as the writer needs.
 */
const READER_EXTRA = 'org.apache.hadoop:hadoop-mapreduce-client-core:3.4.3';

function readerExtraJars(cache: string, java: string): string {
  const dir = path.join(cache, `lake-reader-${READER_EXTRA.split(':').slice(1).join('-')}`);
  materialize(dir, (tmp) => {
    run(
      findMaven(),
      mvnArgs(cache, ['dependency:copy', `-Dartifact=${READER_EXTRA}`, `-DoutputDirectory=${tmp}`]),
      `mvn dependency:copy (${READER_EXTRA})`,
      { ...process.env, JAVA_HOME: path.dirname(path.dirname(fs.realpathSync(java))) },
    );
  });
  return dir;
}

export function rawBucket(model: PlatformModel, zone: ZoneName): string {
  return lakeBucketName(model, LOCAL_ENV, { zone, layer: 'raw' });
}

function jdbcUri(ctx: StackContext): string {
  return `jdbc:postgresql://${HOST}:${ctx.ports.postgres}/${ICEBERG_CATALOG_DATABASE}`;
}

/** The sink's view of the catalog: every secret a config-provider reference. */
export function localSinkTarget(ctx: StackContext, zone: ZoneName): IcebergCatalogTarget {
  const secrets = connectSecretsDir(ctx.state);
  return {
    kind: 'jdbc',
    catalogName: icebergCatalogName(ctx.model),
    uri: jdbcUri(ctx),
    user: ICEBERG_CATALOG_ROLE,
    passwordRef: secretRef(secrets, postgresSecretFile(ICEBERG_CATALOG_ROLE)),
    warehouse: `s3://${rawBucket(ctx.model, zone)}/`,
    region: ctx.model.environments[LOCAL_ENV].region,
    s3Endpoint: endpointOf('s3', ctx.ports),
    accessKeyIdRef: secretRef(secrets, S3_SECRET_FILE, 'access-key-id'),
    secretAccessKeyRef: secretRef(secrets, S3_SECRET_FILE, 'secret-access-key'),
  };
}

/** The catalog as this process (the stack's own tooling) opens it, with the secrets resolved. */
function catalogForTool(
  ctx: StackContext,
  creds: Credentials,
): { name: string; props: Record<string, string> } {
  if (!creds.s3) throw new Error("the local stack's credentials have no S3 credentials");
  return {
    name: icebergCatalogName(ctx.model),
    props: {
      'catalog-impl': 'org.apache.iceberg.jdbc.JdbcCatalog',
      uri: jdbcUri(ctx),
      'jdbc.user': ICEBERG_CATALOG_ROLE,
      'jdbc.password': passwordOf(creds, 'postgres', ICEBERG_CATALOG_ROLE),
      'jdbc.schema-version': 'V1',
      warehouse: `s3://${rawBucket(ctx.model, 'public')}/`,
      'io-impl': 'org.apache.iceberg.aws.s3.S3FileIO',
      'client.region': ctx.model.environments[LOCAL_ENV].region,
      's3.endpoint': endpointOf('s3', ctx.ports),
      's3.path-style-access': 'true',
      's3.access-key-id': creds.s3.accessKeyId,
      's3.secret-access-key': creds.s3.secretAccessKey,
    },
  };
}

/** Runs LakeTool with the plugin's jars; input on stdin (it holds secrets), JSON back. */
export function runLakeTool<T>(
  command: 'declare' | 'ls' | 'scan' | 'snapshots',
  input: Record<string, unknown>,
): T {
  const ctx = stackContext();
  const creds = requireCredentials(ctx);
  const java = findJava(loadVersions().java.minMajor);
  const plugin = ensureIcebergSinkPlugin(ctx.cache, java, (m) => process.stderr.write(`[lake] ${m}\n`));
  const r = spawnSync(
    java,
    [
      '-Xmx256m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-cp',
      `${path.join(plugin.pluginPath, ICEBERG_PLUGIN_NAME, 'lib')}/*:${readerExtraJars(ctx.cache, java)}/*`,
      LAKE_TOOL,
      command,
    ],
    {
      input: JSON.stringify({ catalog: catalogForTool(ctx, creds), ...input }),
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  if (r.status !== 0) {
    const tail = hideSecrets(`${r.stderr ?? ''}${r.error?.message ?? ''}`, creds)
      .split('\n')
      .filter((l) => !/SLF4J/.test(l))
      .slice(0, 20)
      .join('\n');
    throw new Error(`lake ${command} failed (exit ${r.status}):\n${tail}`);
  }
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as T;
}

/** Creates the namespaces and tables the model declares that are missing; each table in its zone's raw bucket. */
export function declareLakeTables(model: PlatformModel): string[] {
  const tables = deriveIcebergTables(model).map((t) => ({
    ...t,
    location: icebergTableLocation(rawBucket(model, t.zone), t),
  }));
  return runLakeTool<{ created: string[] }>('declare', { tables }).created;
}

export interface LakeTableInfo {
  namespace: string;
  table: string;
  location: string;
  snapshots: number;
  rows: number;
  lastCommitMs: number | null;
}

export function listLakeTables(model: PlatformModel): LakeTableInfo[] {
  const namespaces = [...new Set(deriveIcebergTables(model).map((t) => t.namespace))];
  return runLakeTool<LakeTableInfo[]>('ls', { namespaces });
}

export interface LakeSnapshot {
  committedMs: number;
  addedRows: number;
}

/** A table's snapshots, oldest first (commit time and rows added), from its Iceberg metadata. */
export function lakeSnapshots(table: string): LakeSnapshot[] {
  return runLakeTool<LakeSnapshot[]>('snapshots', { table });
}

/** Rows of a table (newest snapshot); `where` keeps rows whose column is one of the given values. */
export function scanLakeTable(
  table: string,
  limit = 20,
  where?: Record<string, readonly (string | number)[]>,
): Record<string, unknown>[] {
  return runLakeTool<Record<string, unknown>[]>('scan', { table, limit, ...(where ? { where } : {}) });
}

/** Declares the tables, then registers (or updates) each zone's Iceberg sink and waits until it runs. */
export async function registerIcebergSinks(model: PlatformModel, timeoutMs = 180_000): Promise<string[]> {
  const ctx = stackContext();
  declareLakeTables(model);
  const secrets = connectSecretsDir(ctx.state);
  const names: string[] = [];
  for (const sink of deriveSinks(model, LOCAL_ENV)) {
    const def = deriveIcebergSinkConnectorConfig(sink, localSinkTarget(ctx, sink.zone), {
      kafkaAuth: {
        username: sink.principal,
        passwordRef: secretRef(secrets, kafkaSecretFile(sink.principal)),
      },
    });
    await upsertConnector(def.name, { ...def.config });
    names.push(def.name);
  }
  for (const name of names) {
    // A sink the monitor contained stays stopped until an operator has dealt with the leak:
    // registering it again neither resumes it nor waits for it.
    const state = (await connectClient().connectorStatus(name))?.connector.state;
    if (state === 'STOPPED' || state === 'PAUSED')
      throw new Error(
        `the Iceberg sink ${name} is ${state} (the monitor stops the public sink on a leak finding): ` +
          `review the findings, move its offsets past the leaked records and resume it (the admin API's resume route)`,
      );
    await waitForConnectorRunning(name, timeoutMs);
  }
  return names;
}
