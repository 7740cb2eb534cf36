/**
 * light-my-request (Fastify's inject) requires cookie@2, which ships ESM only and declares Node >= 22.
 * Node 20.19+ loads it through require(esm), but Jest's module registry does not: swc turns it
 * into CommonJS for the tests. The served app needs none of this (esbuild bundles it).
 */
const ESM_ONLY = ['cookie'];
module.exports = {
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
    [`node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: [
      '@swc/jest',
      { jsc: { target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
};
