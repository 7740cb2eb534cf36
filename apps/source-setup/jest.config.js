/** Unit tests: pure code, no servers, no AWS. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'source-setup-cli',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testPathIgnorePatterns: ['\\.int\\.spec\\.ts$'],
  moduleNameMapper: {
    '^@lakewall/source-setup$': '<rootDir>/../../libs/source-setup/src/index.ts',
    '^@lakewall/platform-model$': '<rootDir>/../../libs/platform-model/src/index.ts',
    '^@lakewall/kafka-connection$': '<rootDir>/../../libs/kafka-connection/src/index.ts',
  },
};
