// Maps @lakewall/* to the sources named in tsconfig.base.json `paths`, so tests do not depend on
// the workspaces being linked into node_modules.
const path = require('node:path');
const base = require('../../tsconfig.base.json');
const root = path.resolve(__dirname, '../..');
module.exports = Object.fromEntries(
  Object.entries(base.compilerOptions.paths || {}).map(([name, [target]]) => [`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, path.join(root, target)]),
);
