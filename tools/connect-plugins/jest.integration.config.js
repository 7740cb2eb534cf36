/**
 * Integration tests of what the plugin zips carry that need no local stack: lakewall's Secrets
 * Manager config provider against moto's server on loopback. The test lives with the code it builds
 * (tools/local-stack/test); it is run here, on the shared jest preset and without the stack-starting
 * global setup of jest.integration.preset.js, so it starts no Kafka, Connect or PostgreSQL.
 */
const path = require('node:path');

const localStack = path.join(__dirname, '..', 'local-stack');

module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'connect-plugins:integration',
  rootDir: localStack,
  testMatch: ['<rootDir>/test/config-providers.int.spec.ts'],
  // The model's sources of this checkout (as the infra tests map them), so the class the test checks
  // is the one this checkout names.
  moduleNameMapper: {
    '^@lakewall/platform-model$': path.join(__dirname, '../../libs/platform-model/src/index.ts'),
  },
  // A fresh machine installs moto and assembles the AWS SDK first; afterwards the suite takes seconds.
  testTimeout: 600_000,
  maxWorkers: 1,
};
