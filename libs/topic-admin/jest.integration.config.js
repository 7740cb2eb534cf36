/** Integration tests against the local stack's real Kafka (SASL/SCRAM, ACLs enforced); see jest.integration.preset.js. */
module.exports = {
  ...require('../../jest.integration.preset.js'),
  displayName: 'topic-admin:integration',
  rootDir: __dirname,
};
