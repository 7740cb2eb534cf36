/**
 * The Iceberg sink connector plugin and the Avro converter plugin, from Maven Central: the jars the
 * local Connect worker loads (one plugin.path entry each) and, zipped together, the custom plugin MSK
 * Connect runs the sinks with (MSK Connect gives a connector one custom plugin, so the converter its
 * records need travels in the same zip, as a second top-level plugin directory). One assembly for
 * both, so the lake is written by the same code everywhere.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { materialize, run } from './install-helpers';
import { ensureMavenPlugin, sha256File, type AssembledPlugin, type MavenPluginSpec } from './maven-plugin';

/** The plugin's directory name inside plugin.path and at the top of the zip. */
export const ICEBERG_PLUGIN_NAME = 'lakewall-iceberg-sink';
export const AVRO_CONVERTER_PLUGIN_NAME = 'lakewall-apicurio-converter';

export const ICEBERG_SINK_PLUGIN: MavenPluginSpec = {
  name: ICEBERG_PLUGIN_NAME,
  pomDir: 'iceberg-sink',
  versionProperty: 'iceberg.version',
};
export const AVRO_CONVERTER_PLUGIN: MavenPluginSpec = {
  name: AVRO_CONVERTER_PLUGIN_NAME,
  pomDir: 'apicurio-converter',
  versionProperty: 'apicurio.converter.version',
};

/** Zip entries get this fixed time, so the same jars always make the same zip (and the same sha256). */
const FIXED_MTIME = new Date('2020-01-01T00:00:00Z');

export interface IcebergSinkPlugin {
  /** A Connect plugin.path entry holding the sink (`<dir>/lakewall-iceberg-sink/lib/*.jar`). */
  readonly pluginPath: string;
  /** A Connect plugin.path entry holding the Avro converter (`<dir>/lakewall-apicurio-converter/lib/*.jar`). */
  readonly converterPluginPath: string;
  /** The MSK Connect custom plugin (ZIP: the sink and the converter) and its sha256. */
  readonly zip: string;
  readonly zipSha256: string;
  readonly jars: number;
  readonly bytes: number;
}

function zipPlugins(plugins: AssembledPlugin[], zip: string): void {
  const entries: string[] = [];
  for (const p of plugins) {
    const jars = fs.readdirSync(p.libDir).sort();
    for (const f of [...jars.map((j) => path.join(p.libDir, j)), p.libDir, path.dirname(p.libDir)])
      fs.utimesSync(f, FIXED_MTIME, FIXED_MTIME);
    // Each plugin zips from its own plugin.path root, so the zip's top level is `<name>/lib/...`.
    // -X: no extra attributes (uid/gid, times beyond the DOS one); -D: no directory entries.
    run(
      'zip',
      ['-q', '-X', '-D', zip, ...jars.map((j) => path.join(p.name, 'lib', j))],
      `zip (${p.name} plugin)`,
      { ...process.env, TZ: 'UTC' },
      p.pluginPath,
    );
    entries.push(...jars);
  }
  if (new Set(entries).size === 0) throw new Error('no jars to zip');
}

/** Builds (once) and returns both plugins and their zip; `java` is the JDK Maven runs on. */
export function ensureIcebergSinkPlugin(
  cache: string,
  java: string,
  log: (msg: string) => void,
): IcebergSinkPlugin {
  const sink = ensureMavenPlugin(cache, java, ICEBERG_SINK_PLUGIN, log);
  const converter = ensureMavenPlugin(cache, java, AVRO_CONVERTER_PLUGIN, log);
  const key = createHash('sha256').update(sink.key).update(converter.key).digest('hex').slice(0, 12);
  const dir = path.join(cache, `iceberg-sink-msk-plugin-${key}`);
  const zip = path.join(dir, `${ICEBERG_PLUGIN_NAME}.zip`);
  materialize(dir, (tmp) => {
    const tmpZip = path.join(tmp, path.basename(zip));
    zipPlugins([sink, converter], tmpZip);
    fs.writeFileSync(`${tmpZip}.sha256`, `${sha256File(tmpZip)}  ${path.basename(zip)}\n`);
  });
  return {
    pluginPath: sink.pluginPath,
    converterPluginPath: converter.pluginPath,
    zip,
    zipSha256: fs.readFileSync(`${zip}.sha256`, 'utf8').split(/\s+/)[0] ?? '',
    jars: sink.jars + converter.jars,
    bytes: sink.bytes + converter.bytes,
  };
}
