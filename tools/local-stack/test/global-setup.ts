import '../src/workspace-paths';
import { ensureStackUp } from '../src/index';

/** Brings the local stack up (idempotent). Any failure fails the whole run with the component's log tail. */
export default async function globalSetup(): Promise<void> {
  const status = await ensureStackUp();
  process.stderr.write(`\nlocal stack healthy, total RSS ${(status.totalRssBytes / 1048576).toFixed(0)} MiB\n`);
}
