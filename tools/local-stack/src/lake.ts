/**
 * The local lake: Iceberg tables declared from the model in the JDBC catalog, one Iceberg sink per
 * zone registered on the local Connect worker, and the lake reader (@lakewall/lake-reader) pointed
 * at this stack's JVM, jars and catalog.
 */
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
import {
  describeLocalLake,
  LAKE_TOOL_SOURCE,
  LakeReader,
  localLake,
  localLakeRuntimePath,
  type LakeSnapshot,
  type LakeTableInfo,
  type LocalLakeDescriptor,
} from '@lakewall/lake-reader';
import { connectSecretsDir } from './components/connect';
import { endpointOf } from './components';
import { kafkaSecretFile, postgresSecretFile, S3_SECRET_FILE, secretRef } from './connect-secrets';
import { LOCAL_ENV, requireCredentials, stackContext, type StackContext } from './context';
import { passwordOf } from './credentials';
import { writeIfChanged } from './files';
import { ICEBERG_PLUGIN_NAME, ensureIcebergSinkPlugin } from './iceberg-plugin';
import { findJava } from './install';
import { findMaven, materialize, mvnArgs, run } from './install-helpers';
import { ICEBERG_CATALOG_DATABASE, ICEBERG_CATALOG_ROLE, icebergCatalogName } from './lake-local';
import { HOST } from './ports';
import { loadVersions } from './versions';
import { connectClient, localRegistryTarget, upsertConnector, waitForConnectorRunning } from './index';

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

/** What the lake reader needs from this stack, secrets excepted; written to the state directory at `up`. */
function lakeDescriptor(ctx: StackContext): LocalLakeDescriptor {
  const java = findJava(loadVersions().java.minMajor);
  const plugin = ensureIcebergSinkPlugin(ctx.cache, java, (m) => process.stderr.write(`[lake] ${m}\n`));
  return {
    java,
    classpath: [path.join(plugin.pluginPath, ICEBERG_PLUGIN_NAME, 'lib'), readerExtraJars(ctx.cache, java)],
    // Absolute, so a bundled reader (the admin API's esbuild output) finds it too.
    toolSource: LAKE_TOOL_SOURCE,
    catalog: {
      name: icebergCatalogName(ctx.model),
      uri: jdbcUri(ctx),
      user: ICEBERG_CATALOG_ROLE,
      warehouse: `s3://${rawBucket(ctx.model, 'public')}/`,
      region: ctx.model.environments[LOCAL_ENV].region,
      s3Endpoint: endpointOf('s3', ctx.ports),
    },
  };
}

/** Writes the lake reader's description for services (the admin API) that read the local lake. */
export function describeLakeReader(ctx: StackContext): void {
  writeIfChanged(localLakeRuntimePath(ctx.state), describeLocalLake(lakeDescriptor(ctx)));
}

/** The lake reader as this process (the stack's own tooling) opens it, with the secrets resolved. */
export function localLakeReader(ctx: StackContext = stackContext()): LakeReader {
  const creds = requireCredentials(ctx);
  if (!creds.s3) throw new Error("the local stack's credentials have no S3 credentials");
  const { runtime, catalog } = localLake(lakeDescriptor(ctx), {
    password: passwordOf(creds, 'postgres', ICEBERG_CATALOG_ROLE),
    s3: creds.s3,
  });
  return new LakeReader(runtime, catalog);
}

/** Creates the namespaces and tables the model declares that are missing; each table in its zone's raw bucket. */
export function declareLakeTables(model: PlatformModel): Promise<string[]> {
  const tables = deriveIcebergTables(model).map((t) => ({
    ...t,
    location: icebergTableLocation(rawBucket(model, t.zone), t),
  }));
  return localLakeReader().declare(tables);
}

export function listLakeTables(model: PlatformModel): Promise<LakeTableInfo[]> {
  return localLakeReader().tables(model);
}

export type { LakeSnapshot };

/** A table's snapshots, oldest first (commit time and rows added), from its Iceberg metadata. */
export function lakeSnapshots(table: string): Promise<LakeSnapshot[]> {
  return localLakeReader().snapshots(table);
}

/** Rows of a table (newest snapshot); `where` keeps rows whose column is one of the given values. */
export function scanLakeTable(
  table: string,
  limit = 20,
  where?: Record<string, readonly (string | number)[]>,
): Promise<Record<string, unknown>[]> {
  return localLakeReader().scan(table, limit, where);
}

/** Declares the tables, then registers (or updates) each zone's Iceberg sink and waits until it runs. */
export async function registerIcebergSinks(model: PlatformModel, timeoutMs = 180_000): Promise<string[]> {
  const ctx = stackContext();
  await declareLakeTables(model);
  const secrets = connectSecretsDir(ctx.state);
  const names: string[] = [];
  for (const sink of deriveSinks(model, LOCAL_ENV)) {
    const def = deriveIcebergSinkConnectorConfig(sink, localSinkTarget(ctx, sink.zone), {
      kafkaAuth: {
        username: sink.principal,
        passwordRef: secretRef(secrets, kafkaSecretFile(sink.principal)),
      },
      registry: localRegistryTarget(secrets),
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

export type { LakeTableInfo };
