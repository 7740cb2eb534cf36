/**
 * Shared settings for every `integration` target: tests against the real local stack. The global
 * setup brings the stack up (or fails the run; nothing is skipped when a server is missing), and
 * with CI=true the teardown stops a stack that the run itself started.
 *
 * The setup and teardown are files of tools/local-stack named here by path, not imported: a
 * project using this preset does not depend on the local-stack project (which itself depends on
 * topic-admin). Tests read connection details through @lakewall/kafka-connection.
 */
const path = require('node:path');

module.exports = {
  ...require('./jest.preset.js'),
  testMatch: ['<rootDir>/test/**/*.int.spec.ts', '<rootDir>/src/**/*.int.spec.ts'],
  globalSetup: path.join(__dirname, 'tools/local-stack/test/global-setup.ts'),
  globalTeardown: path.join(__dirname, 'tools/local-stack/test/global-teardown.ts'),
  testTimeout: 180_000,
  maxWorkers: 1,
};
