/** Unit tests: pure code, no servers. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'source-setup',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testPathIgnorePatterns: ['\\.int\\.spec\\.ts$'],
  moduleNameMapper: {
    '^@lakewall/platform-model$': '<rootDir>/../platform-model/src/index.ts',
    '^@lakewall/kafka-connection$': '<rootDir>/../kafka-connection/src/index.ts',
  },
};
