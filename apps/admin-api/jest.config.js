/** Unit tests: the HTTP layer through inject, with in-memory sources; no servers. */
module.exports = {
  ...require('../../jest.preset.js'),
  ...require('./jest.esm-deps.js'),
  displayName: 'admin-api',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testPathIgnorePatterns: ['\\.int\\.spec\\.ts$'],
};
