/**
 * The gate on the real templates: every environment is synthesized once (into a temporary cloud
 * assembly, by the infra project's own synth script) and evaluated; mutated copies must fail.
 */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'access-report',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testPathIgnorePatterns: ['\\.int\\.spec\\.ts$'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  testTimeout: 300000,
};
