/**
 * The source setup (libs/source-setup, which this task runs on RDS) against a real PostgreSQL of its
 * own: the shared preset's settings, but a global setup that starts only PostgreSQL, in its own
 * state directory and on its own port, so the developer's full stack (default state dir and ports,
 * used by the other suites) is never touched.
 */
const path = require('node:path');

const root = path.join(__dirname, '../..');
// Set here, before the global setup runs: the setup, the tests and the teardown all read them.
process.env.LAKEWALL_STATE_DIR =
  process.env.LAKEWALL_SOURCE_SETUP_STATE_DIR || path.join(root, '.lakewall', 'source-setup-it');
process.env.LAKEWALL_PG_PORT = process.env.LAKEWALL_SOURCE_SETUP_PG_PORT || '25432';

module.exports = {
  ...require('../../jest.integration.preset.js'),
  displayName: 'source-setup-cli:integration',
  rootDir: __dirname,
  globalSetup: path.join(root, 'tools/local-stack/test/global-setup-postgres.ts'),
  globalTeardown: path.join(root, 'tools/local-stack/test/global-teardown-postgres.ts'),
  moduleNameMapper: {
    '^@lakewall/source-setup$': '<rootDir>/../../libs/source-setup/src/index.ts',
    '^@lakewall/platform-model$': '<rootDir>/../../libs/platform-model/src/index.ts',
    '^@lakewall/kafka-connection$': '<rootDir>/../../libs/kafka-connection/src/index.ts',
  },
  testTimeout: 120_000,
};
