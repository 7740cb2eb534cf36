// Shared jest settings: swc transpiles TypeScript (type checking is the typecheck target's job).
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

// Workspace libraries resolve to this checkout's sources, as tsconfig's paths say, not through the
// node_modules symlinks: in a git worktree that shares another checkout's node_modules those
// symlinks lead to the other checkout's libraries.
const workspacePaths = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([name, [target]]) => [
    `^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`,
    path.join(__dirname, target),
  ]),
);

module.exports = {
  moduleNameMapper: workspacePaths,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
