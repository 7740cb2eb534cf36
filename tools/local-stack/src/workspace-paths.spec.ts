import * as path from 'node:path';
import { repoRoot } from './paths';
import { workspacePathMap } from './workspace-paths';

describe('workspacePathMap', () => {
  it('maps @lakewall packages to their sources from tsconfig.base.json', () => {
    const root = repoRoot();
    const map = workspacePathMap(root);
    expect(map['@lakewall/platform-model']).toBe(path.join(root, 'libs/platform-model/src/index.ts'));
    expect(map['@lakewall/local-stack']).toBe(path.join(root, 'tools/local-stack/src/index.ts'));
  });
});
