/**
 * Integration tests against the local stack's real Kafka (SASL/SCRAM, ACLs enforced). The global
 * setup brings the stack up (or fails the run); nothing is skipped when a server is missing.
 */
const path = require('node:path');
const base = require('../../tsconfig.base.json');
const root = path.resolve(__dirname, '../..');

module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'topic-bootstrapper:integration',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.int.spec.ts', '<rootDir>/src/**/*.int.spec.ts'],
  moduleNameMapper: Object.fromEntries(
    Object.entries(base.compilerOptions.paths || {}).map(([name, [target]]) => [`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, path.join(root, target)]),
  ),
  globalSetup: '<rootDir>/test/global-setup.ts',
  testTimeout: 180_000,
  maxWorkers: 1,
};
