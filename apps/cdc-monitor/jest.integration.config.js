/** Integration tests against the local stack's real stack (Kafka, Connect, registry, Prometheus, Alertmanager); see jest.integration.preset.js. */
module.exports = {
  ...require('../../jest.integration.preset.js'),
  displayName: 'cdc-monitor:integration',
  rootDir: __dirname,
};
