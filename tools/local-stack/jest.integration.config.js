/** Integration tests: real servers (see jest.integration.preset.js). */
module.exports = {
  ...require('../../jest.integration.preset.js'),
  displayName: 'local-stack:integration',
  rootDir: __dirname,
  testTimeout: 300_000,
  testSequencer: require.resolve('./test/test-sequencer.js'),
};
