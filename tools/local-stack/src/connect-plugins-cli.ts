/**
 * `nx run connect-plugins:build`: the MSK Connect custom plugins, as zips in `dist/connect-plugins/`
 * (the infra app's deploy uploads them): `debezium-postgres.zip` (Debezium's PostgreSQL connector
 * as the local worker runs it) and `iceberg-sink.zip` (the lake's sink plugin, the same assembly
 * the local stack installs). MSK Connect gives a connector one custom plugin, so each zip also
 * carries Apicurio's Avro converter (its own top-level plugin directory), which Debezium writes and
 * the sinks read Avro with, and lakewall's Secrets Manager config provider, which the worker
 * configuration names for both. Prints each zip's path, size and sha256 as JSON.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadPlatformModel } from '@lakewall/platform-model';
import { loadVersions } from './versions';
import { ensureMavenArtifacts, findJava } from './install';
import { PrerequisiteError, run } from './install-helpers';
import { AVRO_CONVERTER_PLUGIN_NAME, ensureIcebergSinkPlugin } from './iceberg-plugin';
import { cacheDir, repoRoot } from './paths';
import { CONFIG_PROVIDERS_PLUGIN_NAME, ensureConfigProvidersPlugin } from './config-providers-plugin';
import { ensureTransformsPlugin, TRANSFORMS_PLUGIN_NAME } from './transforms-plugin';

/** Zip entries get this fixed time, so the same jars always make the same zip (and the same sha256). */
const FIXED_MTIME = new Date('2020-01-01T00:00:00Z');

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Zips every file under `root/<dirs>` with fixed times and no extra attributes (added to `zip` unless `fresh`). */
function zipTree(root: string, dirs: readonly string[], zip: string, fresh = true): void {
  const files: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = path.join(rel, e.name);
      if (e.isDirectory()) walk(child);
      else files.push(child);
    }
  };
  for (const d of dirs) walk(d);
  files.sort();
  for (const f of files) fs.utimesSync(path.join(root, f), FIXED_MTIME, FIXED_MTIME);
  if (fresh) fs.rmSync(zip, { force: true });
  run(
    'zip',
    ['-q', '-X', '-D', zip, ...files],
    `zip (${path.basename(zip)})`,
    { ...process.env, TZ: 'UTC' },
    root,
  );
}

try {
  const out = path.resolve(repoRoot(), process.argv[2] ?? 'dist/connect-plugins');
  fs.mkdirSync(out, { recursive: true });
  const versions = loadVersions();
  const java = findJava(versions.java.minMajor);
  const log = (m: string): void => void process.stderr.write(`[connect-plugins] ${m}\n`);
  const mvn = ensureMavenArtifacts(cacheDir(), versions, loadPlatformModel().kafka.version, java);
  const debezium = path.join(out, 'debezium-postgres.zip');
  const lake = ensureIcebergSinkPlugin(cacheDir(), java, log);
  zipTree(mvn.debeziumPluginPath, fs.readdirSync(mvn.debeziumPluginPath), debezium);
  zipTree(lake.converterPluginPath, [AVRO_CONVERTER_PLUGIN_NAME], debezium, false);
  const sink = path.join(out, 'iceberg-sink.zip');
  // The sink's zip already holds the converter next to the sink (iceberg-plugin.ts); lakewall's own
  // transforms (the source position columns) join them: MSK Connect gives a connector one plugin.
  fs.copyFileSync(lake.zip, sink);
  const transforms = ensureTransformsPlugin(cacheDir(), java, mvn.kafkaLibs);
  zipTree(transforms, [TRANSFORMS_PLUGIN_NAME], sink, false);
  // The config provider resolves both connectors' `${secretsmanager:...}` references, so it joins
  // both zips. Its AWS SDK may differ from the one the Iceberg sink runtime bundles: no conflict,
  // because Kafka Connect loads each top-level plugin directory in its own isolated classloader, so
  // each plugin sees only its own lib/ (plus the worker's Kafka and slf4j classes).
  const providers = ensureConfigProvidersPlugin(cacheDir(), java, mvn.kafkaLibs, log);
  for (const zip of [debezium, sink]) zipTree(providers, [CONFIG_PROVIDERS_PLUGIN_NAME], zip, false);
  const report = [debezium, sink].map((f) => ({
    file: path.relative(repoRoot(), f),
    bytes: fs.statSync(f).size,
    sha256: sha256(f),
  }));
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} catch (e) {
  process.stderr.write(
    `${e instanceof PrerequisiteError ? '' : 'connect-plugins: '}${(e as Error).message}\n`,
  );
  process.exitCode = 1;
}
