/**
 * lakewall's own Secrets Manager config provider (`java/config-providers`), the class MSK Connect's
 * worker configuration names (deriveConnectConfigProviders in @lakewall/platform-model): compiled
 * against the Kafka client library and the AWS SDK for Java v2, and laid out as one Connect plugin
 * whose lib/ holds the provider's jar and the SDK's jars (pinned and checksummed in
 * maven/config-providers). Both MSK Connect custom plugin zips carry it (connect-plugins-cli.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureJavaPlugin, kafkaJars } from './java-plugin';
import { ensureMavenPlugin, type MavenPluginSpec } from './maven-plugin';

export const CONFIG_PROVIDERS_PLUGIN_NAME = 'lakewall-config-providers';
export const CONFIG_PROVIDERS_JAR = `${CONFIG_PROVIDERS_PLUGIN_NAME}.jar`;

/** The provider's runtime: the AWS SDK's Secrets Manager client and its URLConnection HTTP client. */
export const CONFIG_PROVIDERS_SDK: MavenPluginSpec = {
  name: CONFIG_PROVIDERS_PLUGIN_NAME,
  pomDir: 'config-providers',
  versionProperty: 'aws.sdk.version',
};

/** Builds (once per change of the sources, the SDK pin or the Kafka version) and returns its plugin.path entry. */
export function ensureConfigProvidersPlugin(
  cache: string,
  java: string,
  kafkaLibs: string,
  log: (msg: string) => void,
): string {
  const sdk = ensureMavenPlugin(cache, java, CONFIG_PROVIDERS_SDK, log);
  const sdkJars = fs
    .readdirSync(sdk.libDir)
    .sort()
    .map((j) => path.join(sdk.libDir, j));
  return ensureJavaPlugin(cache, java, {
    name: CONFIG_PROVIDERS_PLUGIN_NAME,
    sourceDir: 'config-providers',
    // 11: what the Kafka client library itself targets, so the provider loads on any worker that
    // runs it (MSK Connect does not document its workers' Java version).
    release: '11',
    classpath: [...kafkaJars(kafkaLibs, /^kafka-clients-.*\.jar$/), ...sdkJars],
    runtimeJars: sdkJars,
    key: [path.basename(path.dirname(kafkaLibs)), sdk.key],
  });
}
