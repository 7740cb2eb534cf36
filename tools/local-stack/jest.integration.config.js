/**
 * Integration tests: real servers. The global setup starts the local stack (or fails loudly);
 * nothing is skipped when a server is missing.
 */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'local-stack:integration',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.int.spec.ts', '<rootDir>/src/**/*.int.spec.ts'],
  moduleNameMapper: require('./jest.moduleNameMapper.js'),
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 300_000,
  maxWorkers: 1,
};
