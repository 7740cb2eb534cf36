/** Integration tests: real servers (see jest.integration.preset.js). */
module.exports = {
  ...require('../../jest.integration.preset.js'),
  displayName: 'local-stack:integration',
  rootDir: __dirname,
  testTimeout: 300_000,
  testSequencer: require.resolve('./test/test-sequencer.js'),
  // Needs no stack: run by connect-plugins:integration (tools/connect-plugins/jest.integration.config.js).
  testPathIgnorePatterns: ['/test/config-providers\\.int\\.spec\\.ts$'],
};
