/** Unit tests: pure code, no servers (the reader runs against the real lake in local-stack's lake-e2e and the admin API's integration tests). */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'lake-reader',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testPathIgnorePatterns: ['\\.int\\.spec\\.ts$'],
};
