import './workspace-paths';
// eslint-disable-next-line @nx/enforce-module-boundaries -- integration tests run against the local stack
import { ensureStackUp } from '@lakewall/local-stack';

/** Brings the local stack up (idempotent); a failure fails the whole run. */
export default async function globalSetup(): Promise<void> {
  await ensureStackUp();
}
