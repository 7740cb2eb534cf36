/** Unit tests: the rule derivation, and the client's requests against an in-process HTTP server. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'schema-rules',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  testPathIgnorePatterns: ['\\.int\\.spec\\.ts$'],
};
