/** Unit tests: pure evaluation over small hand-written templates; no AWS access, no servers. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'access-proof',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testPathIgnorePatterns: ['\\.int\\.spec\\.ts$'],
};
