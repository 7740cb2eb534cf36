import { loadPlatformModel } from '@lakewall/platform-model';
import { registerIcebergSinks } from '../src/lake';
import { releaseSinkPastEnd } from '../src/sink-release';
import globalSetup from './global-setup';

/**
 * The global setup for suites that read the lake (named by path in their Jest config): the stack and
 * the CDC source as for every suite, plus the lake's tables and each zone's Iceberg sink, running.
 */
export default async function globalSetupWithLake(): Promise<void> {
  await globalSetup();
  const model = loadPlatformModel();
  // Another project's suites inject leaks on the public topics, and the monitor contains the public
  // sink for them: these suites need it running, past those test records.
  await registerIcebergSinks(model).catch(() => releaseSinkPastEnd(model, 'public'));
}
