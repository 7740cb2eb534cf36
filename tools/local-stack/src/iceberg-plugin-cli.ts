/**
 * `nx run local-stack:iceberg-plugin`: assembles the Iceberg sink plugin (cached) and prints where it
 * is, as JSON, for the MSK Connect custom plugin upload and for humans.
 */
import { loadVersions } from './versions';
import { findJava } from './install';
import { PrerequisiteError } from './install-helpers';
import { ensureIcebergSinkPlugin } from './iceberg-plugin';
import { cacheDir } from './paths';

try {
  const java = findJava(loadVersions().java.minMajor);
  const plugin = ensureIcebergSinkPlugin(cacheDir(), java, (m) =>
    process.stderr.write(`[iceberg-plugin] ${m}\n`),
  );
  process.stdout.write(JSON.stringify(plugin, null, 2) + '\n');
} catch (e) {
  process.stderr.write(
    `${e instanceof PrerequisiteError ? '' : 'iceberg-plugin: '}${(e as Error).message}\n`,
  );
  process.exitCode = 1;
}
