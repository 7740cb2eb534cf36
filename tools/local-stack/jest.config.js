/** Unit tests: pure code, no servers. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'local-stack',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testPathIgnorePatterns: ['\\.int\\.spec\\.ts$'],
  // The model's sources of this checkout, as the infra tests map them.
  moduleNameMapper: {
    '^@lakewall/platform-model$': '<rootDir>/../../libs/platform-model/src/index.ts',
  },
};
