import { upPostgres } from '../src/index';

/**
 * The global setup of integration targets that need only PostgreSQL (named by path in their jest
 * config, like global-setup.ts): starts and provisions PostgreSQL alone, in the state directory and
 * on the port the config set, never the developer's full stack, which other suites use.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.LAKEWALL_STATE_DIR || !process.env.LAKEWALL_PG_PORT) {
    throw new Error(
      'global-setup-postgres: set LAKEWALL_STATE_DIR and LAKEWALL_PG_PORT so the suite runs a PostgreSQL of its own',
    );
  }
  await upPostgres();
}
