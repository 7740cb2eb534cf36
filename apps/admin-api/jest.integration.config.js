/**
 * Integration tests against the local stack's real Kafka, Connect, registry, monitor and lake; see
 * jest.integration.preset.js. The lake routes need rows in the lake, so the setup also registers the
 * Iceberg sinks.
 */
const path = require('node:path');

module.exports = {
  ...require('../../jest.integration.preset.js'),
  ...require('./jest.esm-deps.js'),
  displayName: 'admin-api:integration',
  rootDir: __dirname,
  globalSetup: path.join(__dirname, '../../tools/local-stack/test/global-setup-lake.ts'),
};
