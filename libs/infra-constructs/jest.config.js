/** Unit tests: constructs are synthesized in memory, no AWS account or credentials involved. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'infra-constructs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testPathIgnorePatterns: ['\\.int\\.spec\\.ts$'],
  moduleNameMapper: {
    ...require('../../jest.preset.js').moduleNameMapper,
    '^@lakewall/platform-model$': '<rootDir>/../platform-model/src/index.ts',
    '^@lakewall/infra-constructs$': '<rootDir>/src/index.ts',
  },
  // Synthesizing whole stacks takes a few seconds each on a small machine.
  testTimeout: 120000,
};
