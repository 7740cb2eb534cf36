/** Integration tests against the local stack's real Kafka, Connect and registry; see jest.integration.preset.js. */
module.exports = {
  ...require('../../jest.integration.preset.js'),
  ...require('./jest.esm-deps.js'),
  displayName: 'admin-api:integration',
  rootDir: __dirname,
};
