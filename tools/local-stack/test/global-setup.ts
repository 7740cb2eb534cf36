import { loadPlatformModel } from '@lakewall/platform-model';
import { registerDebezium } from '../src/cdc';
import { ensureStackUp, readStackStatus } from '../src/index';

/**
 * The global setup of every `integration` target (jest.integration.preset.js): brings the local
 * stack up (idempotent). Any failure fails the whole run with the component's log tail.
 */
export default async function globalSetup(): Promise<void> {
  const before = await readStackStatus().catch(() => undefined);
  const status = await ensureStackUp();
  // Remember whether this run started anything, so a CI teardown stops only what it brought up.
  (globalThis as { __lakewallStartedStack?: boolean }).__lakewallStartedStack = !before?.healthy;
  // Every suite may rely on the CDC source running, registered as `make start` registers it (through
  // config-provider references, never a password in clear).
  await registerDebezium(loadPlatformModel());
  process.stderr.write(
    `\nlocal stack healthy, total RSS ${(status.totalRssBytes / 1048576).toFixed(0)} MiB\n`,
  );
}
