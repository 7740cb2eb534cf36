/**
 * lakewall's own Kafka Connect plugins, from Java sources under `java/<dir>`: compiled with the found
 * JDK's javac against the jars the caller names, jarred (with any resources, e.g. a
 * META-INF/services manifest, next to the classes) and laid out as a Connect plugin.path entry
 * (`<pluginPath>/<name>/lib/*.jar`), with the runtime jars the plugin needs copied next to its own.
 * Cached outside the work tree by the hash of the sources and of everything else that shapes the
 * result, so an edit rebuilds it and nothing else does.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { materialize, run } from './install-helpers';

export const JAVA_SOURCES = path.join(__dirname, '..', 'java');

export interface JavaPluginSpec {
  /** The plugin's directory name inside plugin.path (and at the top of a zip); also its jar's name. */
  readonly name: string;
  /** The directory under tools/local-stack/java holding the sources and resources. */
  readonly sourceDir: string;
  /** javac --release: the oldest Java the workers that load the plugin may run. */
  readonly release: string;
  /** What javac compiles against. */
  readonly classpath: readonly string[];
  /** Jars the plugin needs at run time, copied into its lib/ next to its own jar. */
  readonly runtimeJars?: readonly string[];
  /** Anything else the build depends on (e.g. the Kafka version, a Maven assembly's key). */
  readonly key: readonly string[];
}

function files(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

/** Builds (once per change) and returns the plugin.path entry holding the plugin. */
export function ensureJavaPlugin(cache: string, java: string, spec: JavaPluginSpec): string {
  const root = path.join(JAVA_SOURCES, spec.sourceDir);
  const all = files(root);
  const sources = all.filter((f) => f.endsWith('.java'));
  const resources = all.filter((f) => !f.endsWith('.java'));
  const hash = createHash('sha256');
  for (const f of all) hash.update(path.relative(root, f)).update(fs.readFileSync(f));
  hash.update(spec.release);
  for (const k of spec.key) hash.update(k);
  for (const j of spec.runtimeJars ?? []) hash.update(path.basename(j));
  const dir = path.join(cache, `${spec.name}-${hash.digest('hex').slice(0, 12)}`);
  materialize(dir, (tmp) => {
    const bin = path.dirname(fs.realpathSync(java));
    const classes = path.join(tmp, 'classes');
    run(
      path.join(bin, 'javac'),
      ['--release', spec.release, '-d', classes, '-cp', spec.classpath.join(':'), ...sources],
      `javac (${spec.name})`,
    );
    for (const r of resources) {
      const to = path.join(classes, path.relative(root, r));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(r, to);
    }
    const lib = path.join(tmp, 'plugins', spec.name, 'lib');
    fs.mkdirSync(lib, { recursive: true });
    run(
      path.join(bin, 'jar'),
      ['--create', '--file', path.join(lib, `${spec.name}.jar`), '-C', classes, '.'],
      `jar (${spec.name})`,
    );
    for (const j of spec.runtimeJars ?? []) fs.copyFileSync(j, path.join(lib, path.basename(j)));
    fs.rmSync(classes, { recursive: true, force: true });
  });
  return path.join(dir, 'plugins');
}

/** The jars in a Kafka distribution's libs/ whose names match, e.g. the Connect API to compile against. */
export function kafkaJars(kafkaLibs: string, pattern: RegExp): string[] {
  return fs
    .readdirSync(kafkaLibs)
    .filter((j) => pattern.test(j))
    .sort()
    .map((j) => path.join(kafkaLibs, j));
}
