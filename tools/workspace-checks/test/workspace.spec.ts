import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = join(__dirname, '../../..');
const readJson = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8'));

function projectFiles(): string[] {
  return ['apps', 'libs', 'tools'].flatMap((dir) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir))
          .map((name) => `${dir}/${name}/project.json`)
          .filter((path) => existsSync(join(root, path)))
      : [],
  );
}

describe('the workspace', () => {
  it('keeps nx and every @nx/* package on one version, declared and installed', () => {
    const pkg = readJson('package.json');
    const declared = Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }).filter(
      ([name]) => name === 'nx' || name.startsWith('@nx/'),
    );
    expect(declared.length).toBeGreaterThan(1);
    const versions = new Set(declared.map(([, v]) => v));
    const installed = new Set(
      declared.map(([name]) => readJson(`node_modules/${name}/package.json`).version),
    );
    expect([...versions]).toEqual([...installed]);
    expect(versions.size).toBe(1);
  });

  it('gives every project exactly one type tag', () => {
    const allowed = ['type:service', 'type:infra', 'type:lib', 'type:tool'];
    for (const file of projectFiles()) {
      const tags: string[] = readJson(file).tags ?? [];
      const types = tags.filter((t) => t.startsWith('type:'));
      expect({ file, types }).toEqual({
        file,
        types: [expect.stringMatching(new RegExp(`^(${allowed.join('|')})$`))],
      });
    }
  });

  // ESLint's flat config is ESM; running the real CLI keeps the check honest about what CI runs.
  const lint = (code: string, filePath: string) =>
    spawnSync(
      join(root, 'node_modules/.bin/eslint'),
      ['--stdin', '--stdin-filename', filePath, '--format', 'json'],
      {
        cwd: root,
        input: code,
        encoding: 'utf8',
      },
    );
  const cdkImport = "import { App } from 'aws-cdk-lib';\nexport const app = new App();\n";

  const projectTagged = (tag: string): string => {
    const file = projectFiles().find((f) => (readJson(f).tags ?? []).includes(tag));
    if (!file) throw new Error(`no ${tag} project found`);
    return file.replace('project.json', 'src/probe.ts');
  };
  const boundaryMessages = (code: string, filePath: string): string[] => {
    const [result] = JSON.parse(lint(code, filePath).stdout);
    return result.messages
      .filter((m: { ruleId: string }) => m.ruleId === '@nx/enforce-module-boundaries')
      .map((m: { message: string }) => m.message);
  };

  it.each(['type:service', 'type:lib', 'type:tool'])('refuses aws-cdk-lib in a %s project', (tag) => {
    expect(boundaryMessages(cdkImport, projectTagged(tag)).join('\n')).toMatch(/aws-cdk-lib/);
  });

  it('keeps infrastructure to libraries and infrastructure by tag', () => {
    const toolImport = "import { up } from '@lakewall/local-stack';\nexport const r = up;\n";
    expect(boundaryMessages(toolImport, projectTagged('type:infra')).join('\n')).toMatch(
      /tagged with "type:infra" can only depend on libs tagged with "type:lib", "type:infra"/,
    );
  });

  it('allows aws-cdk-lib where infrastructure lives', () => {
    const infra = projectFiles().find((file) => (readJson(file).tags ?? []).includes('type:infra'));
    if (!infra) throw new Error('no type:infra project found');
    const run = lint(cdkImport, infra.replace('project.json', 'src/allowed.ts'));
    const [result] = JSON.parse(run.stdout);
    expect(
      result.messages.filter((m: { ruleId: string }) => m.ruleId === '@nx/enforce-module-boundaries'),
    ).toEqual([]);
  });

  it('deploys the infra app only after building the MSK Connect plugins it uploads', () => {
    const infra = readJson('apps/infra/project.json');
    expect(infra.targets.deploy.dependsOn).toContainEqual({ projects: ['connect-plugins'], target: 'build' });
    // A plugin change (its assembly lives in the local stack) makes the infra app affected.
    expect(infra.implicitDependencies).toContain('connect-plugins');
    expect(readJson('tools/connect-plugins/project.json').implicitDependencies).toContain('local-stack');
  });

  it('re-runs every project with integration tests when the local stack or the shared preset changes', () => {
    const withIntegration = projectFiles()
      .filter((p) => readJson(p).targets?.integration)
      .map((p) => readJson(p).name as string)
      .sort();
    expect(withIntegration).toEqual(
      expect.arrayContaining(['local-stack', 'topic-admin', 'topic-bootstrapper']),
    );
    for (const file of ['tools/local-stack/src/up.ts', 'jest.integration.preset.js']) {
      const r = spawnSync(
        process.execPath,
        [join(root, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects', '--affected', `--files=${file}`],
        {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
        },
      );
      expect(r.status).toBe(0);
      const affected = r.stdout
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      expect(affected).toEqual(expect.arrayContaining(withIntegration));
    }
  });
});
