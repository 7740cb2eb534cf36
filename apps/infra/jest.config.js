/** Unit tests: every environment is synthesized in memory from the platform model; no AWS access. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'infra',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testPathIgnorePatterns: ['\\.int\\.spec\\.ts$'],
  moduleNameMapper: {
    ...require('../../jest.preset.js').moduleNameMapper,
    '^@lakewall/platform-model$': '<rootDir>/../../libs/platform-model/src/index.ts',
    '^@lakewall/infra-constructs$': '<rootDir>/../../libs/infra-constructs/src/index.ts',
  },
  // Synthesizing and nag-checking three environments takes a while on a small machine.
  testTimeout: 300000,
};
