import { down } from '../src/index';

/**
 * Developers keep the stack running between runs (the next run starts in seconds). In CI
 * (CI=true), a stack that this run started is stopped again; its data is kept.
 */
export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as { __lakewallStartedStack?: boolean }).__lakewallStartedStack;
  if (process.env.CI === 'true' && started) await down();
}
