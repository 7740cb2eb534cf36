/** Unit tests: pure code, no servers. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'cdc-monitor',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testPathIgnorePatterns: ['\\.int\\.spec\\.ts$'],
};
