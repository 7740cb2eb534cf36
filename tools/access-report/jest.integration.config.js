/** `report --live` against the local stack's running cluster; see jest.integration.preset.js. */
module.exports = {
  ...require('../../jest.integration.preset.js'),
  displayName: 'access-report:integration',
  rootDir: __dirname,
};
