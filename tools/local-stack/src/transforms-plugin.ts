/**
 * lakewall's own Kafka Connect transforms (`java/transforms`), compiled against the Connect API of
 * the model's Kafka version and jarred as a Connect plugin: on the local worker's plugin.path, and
 * inside the sink's MSK Connect custom plugin. Cached by the sources' hash, so an edit rebuilds it.
 */
import * as path from 'node:path';
import { ensureJavaPlugin, kafkaJars } from './java-plugin';

export const TRANSFORMS_PLUGIN_NAME = 'lakewall-transforms';
export const TRANSFORMS_JAR = `${TRANSFORMS_PLUGIN_NAME}.jar`;

/** Builds (once per source change) and returns the plugin.path entry holding the transforms plugin. */
export function ensureTransformsPlugin(cache: string, java: string, kafkaLibs: string): string {
  return ensureJavaPlugin(cache, java, {
    name: TRANSFORMS_PLUGIN_NAME,
    sourceDir: 'transforms',
    release: '17',
    classpath: kafkaJars(kafkaLibs, /^(connect-api|kafka-clients)-.*\.jar$/),
    key: [path.basename(path.dirname(kafkaLibs))],
  });
}
