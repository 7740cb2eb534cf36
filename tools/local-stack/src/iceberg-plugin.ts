/**
 * Assembles the Iceberg sink connector plugin from Maven Central: the jars the local Connect worker
 * loads and, zipped, the custom plugin MSK Connect runs. One assembly for both, so the lake is written
 * by the same code everywhere.
 *
 * Pinned (maven/iceberg-sink/pom.xml), verified twice (Maven -C against the registry's checksums, then
 * every jar against the committed SHA256SUMS), cached outside the work tree under a key that changes
 * with the pom, and built into a temp dir that is renamed into place only when complete.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findMaven, materialize, mvnArgs, PrerequisiteError, run } from './install-helpers';
import { checksumProblems, parseSha256Sums } from './iceberg-plugin-sums';

const PLUGIN_DIR = path.join(__dirname, '..', 'maven', 'iceberg-sink');
const POM = path.join(PLUGIN_DIR, 'pom.xml');
const SUMS = path.join(PLUGIN_DIR, 'SHA256SUMS');

/** The plugin's directory name inside plugin.path and at the top of the zip. */
export const ICEBERG_PLUGIN_NAME = 'lakewall-iceberg-sink';
/** Zip entries get this fixed time, so the same jars always make the same zip (and the same sha256). */
const FIXED_MTIME = new Date('2020-01-01T00:00:00Z');

export interface IcebergSinkPlugin {
  /** A Connect plugin.path entry holding the plugin (`<dir>/lakewall-iceberg-sink/lib/*.jar`). */
  readonly pluginPath: string;
  /** The MSK Connect custom plugin (ZIP) and its sha256. */
  readonly zip: string;
  readonly zipSha256: string;
  readonly jars: number;
  readonly bytes: number;
}

function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function icebergVersionOf(pom: string): string {
  const version = /<iceberg\.version>([^<]+)<\/iceberg\.version>/.exec(pom)?.[1];
  if (!version) throw new Error(`${POM} has no <iceberg.version> property`);
  return version;
}

/** The cache directory: Iceberg version plus the pom's hash, so any pin change is a new assembly. */
export function icebergPluginCacheDir(cache: string): string {
  const pom = fs.readFileSync(POM, 'utf8');
  const key = createHash('sha256').update(pom).update(fs.readFileSync(SUMS)).digest('hex').slice(0, 12);
  return path.join(cache, `iceberg-sink-plugin-${icebergVersionOf(pom)}-${key}`);
}

function verifyJars(libDir: string): void {
  const actual = new Map(fs.readdirSync(libDir).map((f) => [f, sha256File(path.join(libDir, f))]));
  const problems = checksumProblems(parseSha256Sums(fs.readFileSync(SUMS, 'utf8')), actual);
  if (problems.length > 0)
    throw new PrerequisiteError(
      `the Iceberg sink plugin's jars do not match ${path.relative(process.cwd(), SUMS)}:\n  ${problems.join('\n  ')}`,
    );
}

function zipPlugin(root: string, zip: string): void {
  const lib = path.join(root, ICEBERG_PLUGIN_NAME, 'lib');
  const jars = fs.readdirSync(lib).sort();
  for (const f of [...jars.map((j) => path.join(lib, j)), lib, path.dirname(lib)])
    fs.utimesSync(f, FIXED_MTIME, FIXED_MTIME);
  // -X: no extra attributes (uid/gid, times beyond the DOS one); -D: no directory entries.
  run(
    'zip',
    ['-q', '-X', '-D', zip, ...jars.map((j) => path.join(ICEBERG_PLUGIN_NAME, 'lib', j))],
    'zip (Iceberg sink plugin)',
    { ...process.env, TZ: 'UTC' },
    root,
  );
}

/** Builds (once) and returns the plugin; `java` is the JDK Maven runs on. */
export function ensureIcebergSinkPlugin(
  cache: string,
  java: string,
  log: (msg: string) => void,
): IcebergSinkPlugin {
  const dir = icebergPluginCacheDir(cache);
  const zip = path.join(dir, `${ICEBERG_PLUGIN_NAME}.zip`);
  materialize(dir, (tmp) => {
    log(`assembling the Iceberg sink plugin from Maven Central (checksums verified): ${path.basename(dir)}`);
    const mvn = findMaven();
    const pom = path.join(tmp, 'pom.xml');
    fs.copyFileSync(POM, pom);
    const lib = path.join(tmp, 'plugins', ICEBERG_PLUGIN_NAME, 'lib');
    run(
      mvn,
      mvnArgs(cache, [
        '-f',
        pom,
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${lib}`,
      ]),
      'mvn dependency:copy-dependencies (Iceberg sink plugin)',
      { ...process.env, JAVA_HOME: path.dirname(path.dirname(fs.realpathSync(java))) },
    );
    fs.rmSync(pom);
    fs.rmSync(path.join(tmp, 'target'), { recursive: true, force: true });
    verifyJars(lib);
    const tmpZip = path.join(tmp, path.basename(zip));
    zipPlugin(path.join(tmp, 'plugins'), tmpZip);
    fs.writeFileSync(`${tmpZip}.sha256`, `${sha256File(tmpZip)}  ${path.basename(zip)}\n`);
  });
  const lib = path.join(dir, 'plugins', ICEBERG_PLUGIN_NAME, 'lib');
  const jars = fs.readdirSync(lib);
  return {
    pluginPath: path.join(dir, 'plugins'),
    zip,
    zipSha256: fs.readFileSync(`${zip}.sha256`, 'utf8').split(/\s+/)[0] ?? '',
    jars: jars.length,
    bytes: jars.reduce((n, j) => n + fs.statSync(path.join(lib, j)).size, 0),
  };
}
