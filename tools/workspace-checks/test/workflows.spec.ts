import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';

const root = join(__dirname, '../../..');
type Job = {
  needs?: string | string[];
  uses?: string;
  with?: Record<string, string>;
  environment?: string;
  permissions?: Record<string, string>;
  strategy?: { matrix?: Record<string, string[]> };
  steps?: { run?: string; uses?: string }[];
};
type Workflow = {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
};
const workflow = (name: string): Workflow =>
  parse(readFileSync(join(root, '.github/workflows', name), 'utf8')) as Workflow;

describe('GitHub workflows', () => {
  it('pass actionlint', () => {
    const install = spawnSync('bash', [join(root, 'tools/workspace-checks/install-actionlint.sh')], {
      encoding: 'utf8',
    });
    if (install.status !== 0) throw new Error(`actionlint could not be installed:\n${install.stderr}`);
    const lint = spawnSync(install.stdout.trim(), ['-no-color'], { cwd: root, encoding: 'utf8' });
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
  });

  it('deploy: on main, dev then staging then prod, each in its GitHub environment', () => {
    const deploy = workflow('deploy.yml');
    expect(deploy.on).toEqual({ push: { branches: ['main'] } });
    expect(Object.keys(deploy.jobs)).toEqual(['dev', 'staging', 'prod']);
    expect(deploy.jobs.dev!.needs).toBeUndefined();
    expect(deploy.jobs.staging!.needs).toBe('dev');
    expect(deploy.jobs.prod!.needs).toBe('staging');
    for (const [name, job] of Object.entries(deploy.jobs)) {
      expect(job.uses).toBe('./.github/workflows/deploy-environment.yml');
      expect(job.with).toEqual({ environment: name });
    }
    const perEnv = workflow('deploy-environment.yml').jobs.deploy!;
    expect(perEnv.environment).toBe('${{ inputs.environment }}');
    const runs = perEnv.steps!.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('npx nx affected -t deploy');
    expect(runs.indexOf('infra:drift')).toBeLessThan(runs.indexOf('affected -t deploy'));
  });

  it('asks for an OIDC token only in the jobs that assume an AWS role', () => {
    for (const name of ['deploy.yml', 'deploy-environment.yml', 'drift.yml']) {
      const wf = workflow(name);
      expect([name, wf.permissions]).toEqual([name, { contents: 'read' }]);
      for (const job of Object.values(wf.jobs)) {
        const assumesRole =
          job.uses === './.github/workflows/deploy-environment.yml' ||
          (job.steps ?? []).some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
        expect(job.permissions?.['id-token'] === 'write').toBe(assumesRole);
      }
    }
  });

  it('drift: nightly for every environment, may write issues and nothing else', () => {
    const drift = workflow('drift.yml');
    expect(Object.keys(drift.on)).toEqual(['schedule', 'workflow_dispatch']);
    const job = drift.jobs.drift!;
    expect(job.strategy!.matrix!.environment).toEqual(['dev', 'staging', 'prod']);
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write', issues: 'write' });
    const runs = job.steps!.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('infra:diff');
    expect(runs).toContain('infra:drift');
    expect(runs).toContain('--label drift');
    expect(runs).toContain('gh issue close');
  });
});

describe('nx affected -t deploy', () => {
  const affected = (file: string): string[] => {
    const result = spawnSync(
      'npx',
      ['nx', 'show', 'projects', '--affected', `--files=${file}`, '--withTarget=deploy', '--json'],
      { cwd: root, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } },
    );
    if (result.status !== 0) throw new Error(`nx show projects failed:\n${result.stderr}`);
    return JSON.parse(result.stdout) as string[];
  };

  it.each([
    'apps/topic-bootstrapper/src/main.ts',
    'apps/cdc-monitor/src/main.ts',
    'apps/admin-api/src/main.ts',
  ])('deploys the infra app when a service it runs changes (%s)', (file) => {
    expect(affected(file)).toEqual(['infra']);
  });

  it('deploys it when the platform model changes', () => {
    expect(affected('libs/platform-model/src/schema.ts')).toEqual(['infra']);
  });

  it('deploys nothing when only a README changes', () => {
    expect(affected('README.md')).toEqual([]);
  });
});
