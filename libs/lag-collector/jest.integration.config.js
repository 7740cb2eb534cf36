/** Integration tests against the local stack's real Kafka; see jest.integration.preset.js. */
module.exports = {
  ...require('../../jest.integration.preset.js'),
  displayName: 'lag-collector:integration',
  rootDir: __dirname,
};
