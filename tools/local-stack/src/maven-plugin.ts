/**
 * Assembles a Kafka Connect plugin from Maven Central, as `<dir>/plugins/<name>/lib/*.jar` (a Connect
 * plugin.path entry). Pinned (maven/<pom dir>/pom.xml), verified twice (Maven -C against the
 * registry's checksums, then every jar against the committed SHA256SUMS next to the pom), cached
 * outside the work tree under a key that changes with the pom and the sums, and built into a temp dir
 * that is renamed into place only when complete.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findMaven, materialize, mvnArgs, PrerequisiteError, run } from './install-helpers';
import { checksumProblems, parseSha256Sums } from './iceberg-plugin-sums';

const MAVEN_DIR = path.join(__dirname, '..', 'maven');

export interface MavenPluginSpec {
  /** The plugin's directory name inside plugin.path (and at the top of a custom plugin zip). */
  readonly name: string;
  /** The directory under tools/local-stack/maven holding pom.xml and SHA256SUMS. */
  readonly pomDir: string;
  /** The pom property whose value names the cache directory (the plugin's main version). */
  readonly versionProperty: string;
}

export interface AssembledPlugin {
  readonly name: string;
  /** A Connect plugin.path entry holding the plugin (`<pluginPath>/<name>/lib/*.jar`). */
  readonly pluginPath: string;
  readonly libDir: string;
  readonly jars: number;
  readonly bytes: number;
  /** Changes whenever the pom or the pinned sums change. */
  readonly key: string;
}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

const pomOf = (spec: MavenPluginSpec): string => path.join(MAVEN_DIR, spec.pomDir, 'pom.xml');
const sumsOf = (spec: MavenPluginSpec): string => path.join(MAVEN_DIR, spec.pomDir, 'SHA256SUMS');

function versionOf(spec: MavenPluginSpec, pom: string): string {
  const version = new RegExp(`<${spec.versionProperty.replace(/\./g, '\\.')}>([^<]+)</`).exec(pom)?.[1];
  if (!version) throw new Error(`${pomOf(spec)} has no <${spec.versionProperty}> property`);
  return version;
}

/** The cache directory: main version plus the pom's and sums' hash, so any pin change is a new assembly. */
export function mavenPluginCacheDir(cache: string, spec: MavenPluginSpec): string {
  const pom = fs.readFileSync(pomOf(spec), 'utf8');
  const key = createHash('sha256')
    .update(pom)
    .update(fs.readFileSync(sumsOf(spec)))
    .digest('hex')
    .slice(0, 12);
  return path.join(cache, `${spec.pomDir}-plugin-${versionOf(spec, pom)}-${key}`);
}

function verifyJars(spec: MavenPluginSpec, libDir: string): void {
  const actual = new Map(fs.readdirSync(libDir).map((f) => [f, sha256File(path.join(libDir, f))]));
  const problems = checksumProblems(parseSha256Sums(fs.readFileSync(sumsOf(spec), 'utf8')), actual);
  if (problems.length > 0)
    throw new PrerequisiteError(
      `the ${spec.name} plugin's jars do not match ${path.relative(process.cwd(), sumsOf(spec))}:\n  ${problems.join('\n  ')}`,
    );
}

/** Builds (once) and returns the plugin; `java` is the JDK Maven runs on. */
export function ensureMavenPlugin(
  cache: string,
  java: string,
  spec: MavenPluginSpec,
  log: (msg: string) => void,
): AssembledPlugin {
  const dir = mavenPluginCacheDir(cache, spec);
  materialize(dir, (tmp) => {
    log(`assembling the ${spec.name} plugin from Maven Central (checksums verified): ${path.basename(dir)}`);
    const pom = path.join(tmp, 'pom.xml');
    fs.copyFileSync(pomOf(spec), pom);
    const lib = path.join(tmp, 'plugins', spec.name, 'lib');
    run(
      findMaven(),
      mvnArgs(cache, [
        '-f',
        pom,
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${lib}`,
      ]),
      `mvn dependency:copy-dependencies (${spec.name} plugin)`,
      { ...process.env, JAVA_HOME: path.dirname(path.dirname(fs.realpathSync(java))) },
    );
    fs.rmSync(pom);
    fs.rmSync(path.join(tmp, 'target'), { recursive: true, force: true });
    verifyJars(spec, lib);
  });
  const libDir = path.join(dir, 'plugins', spec.name, 'lib');
  const jars = fs.readdirSync(libDir);
  return {
    name: spec.name,
    pluginPath: path.join(dir, 'plugins'),
    libDir,
    jars: jars.length,
    bytes: jars.reduce((n, j) => n + fs.statSync(path.join(libDir, j)).size, 0),
    key: path.basename(dir),
  };
}
