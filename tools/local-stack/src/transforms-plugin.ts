/**
 * lakewall's own Kafka Connect transforms (`java/transforms`), compiled against the Connect API of
 * the model's Kafka version and jarred as a Connect plugin: on the local worker's plugin.path, and
 * inside the sink's MSK Connect custom plugin. Cached by the sources' hash, so an edit rebuilds it.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { materialize, run } from './install-helpers';

export const TRANSFORMS_PLUGIN_NAME = 'lakewall-transforms';
export const TRANSFORMS_JAR = `${TRANSFORMS_PLUGIN_NAME}.jar`;
const SOURCES = path.join(__dirname, '..', 'java', 'transforms');

function javaSources(dir: string = SOURCES): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? javaSources(path.join(dir, e.name))
        : e.name.endsWith('.java')
          ? [path.join(dir, e.name)]
          : [],
    )
    .sort();
}

/** Builds (once per source change) and returns the plugin.path entry holding the transforms plugin. */
export function ensureTransformsPlugin(cache: string, java: string, kafkaLibs: string): string {
  const sources = javaSources();
  const hash = createHash('sha256');
  for (const f of sources) hash.update(path.relative(SOURCES, f)).update(fs.readFileSync(f));
  hash.update(path.basename(path.dirname(kafkaLibs)));
  const dir = path.join(cache, `${TRANSFORMS_PLUGIN_NAME}-${hash.digest('hex').slice(0, 12)}`);
  materialize(dir, (tmp) => {
    const bin = path.dirname(fs.realpathSync(java));
    const classes = path.join(tmp, 'classes');
    const api = fs.readdirSync(kafkaLibs).filter((j) => /^(connect-api|kafka-clients)-.*\.jar$/.test(j));
    run(
      path.join(bin, 'javac'),
      [
        '--release',
        '17',
        '-d',
        classes,
        '-cp',
        api.map((j) => path.join(kafkaLibs, j)).join(':'),
        ...sources,
      ],
      'javac (lakewall transforms)',
    );
    const lib = path.join(tmp, 'plugins', TRANSFORMS_PLUGIN_NAME, 'lib');
    fs.mkdirSync(lib, { recursive: true });
    run(
      path.join(bin, 'jar'),
      ['--create', '--file', path.join(lib, TRANSFORMS_JAR), '-C', classes, '.'],
      'jar (lakewall transforms)',
    );
    fs.rmSync(classes, { recursive: true, force: true });
  });
  return path.join(dir, 'plugins');
}
