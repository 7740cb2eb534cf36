import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import type { Construct } from 'constructs';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The Kafka Connect plugins MSK Connect loads, each a zip assembled by an Nx target. The target
 * `connect-plugins:build` (project `connect-plugins`) writes them to `dist/connect-plugins/`; the
 * infra project's `deploy` target depends on it, so a deploy always uploads freshly built plugins.
 * Each zip carries its connector's jars and lakewall's Secrets Manager config provider (the
 * `lakewall-config-providers` plugin directory).
 */
export const CONNECT_PLUGINS = {
  debezium: { file: 'dist/connect-plugins/debezium-postgres.zip', description: 'Debezium PostgreSQL source' },
  sink: { file: 'dist/connect-plugins/iceberg-sink.zip', description: 'Apache Iceberg sink' },
} as const;
export type ConnectPluginId = keyof typeof CONNECT_PLUGINS;

/** The Nx target that builds every plugin zip. */
export const CONNECT_PLUGINS_TARGET = 'connect-plugins:build';

/**
 * `built` (deploy): the zips must exist, or synthesis fails naming the target to run.
 * `placeholder` (synthesis for the gates and tests, on a fresh clone): a one-file stand-in, so the
 * templates are complete without downloading connector jars. Set by LAKEWALL_CONNECT_PLUGINS.
 */
export type PluginMode = 'built' | 'placeholder';

export function pluginModeFrom(env: NodeJS.ProcessEnv = process.env): PluginMode {
  const mode = env.LAKEWALL_CONNECT_PLUGINS ?? 'placeholder';
  if (mode !== 'built' && mode !== 'placeholder') {
    throw new Error(`LAKEWALL_CONNECT_PLUGINS must be 'built' or 'placeholder', not '${mode}'`);
  }
  return mode;
}

/** Uploads one plugin zip as a file asset (no Docker: CDK copies the file as it is). */
export function pluginAsset(
  scope: Construct,
  id: string,
  plugin: ConnectPluginId,
  mode: PluginMode,
  root = process.cwd(),
): s3assets.Asset {
  const file = resolve(root, CONNECT_PLUGINS[plugin].file);
  if (mode === 'built') {
    if (!existsSync(file)) {
      throw new Error(
        `connect plugin '${plugin}': ${CONNECT_PLUGINS[plugin].file} is missing; run \`npx nx run ${CONNECT_PLUGINS_TARGET}\` first`,
      );
    }
    return new s3assets.Asset(scope, id, { path: file });
  }
  return new s3assets.Asset(scope, id, { path: placeholderDir(plugin) });
}

function placeholderDir(plugin: ConnectPluginId): string {
  const dir = join(tmpdir(), 'lakewall-connect-plugin-placeholders', plugin);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'README.txt'),
    `Placeholder for ${CONNECT_PLUGINS[plugin].file}: deploy with LAKEWALL_CONNECT_PLUGINS=built after nx run ${CONNECT_PLUGINS_TARGET}.\n`,
  );
  return dir;
}
