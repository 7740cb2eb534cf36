/**
 * The compliance route's AWS half from real templates: the repository's infrastructure synthesized
 * (by the infra project's own synth script, in a child process: the API never loads the CDK) and
 * served by GET /api/v1/compliance/access for dev, agreeing with `npm run access -- report` on the
 * same templates.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { deriveAcls } from '@lakewall/platform-model';
import { TemplatesAccessProof } from '../src/sources/access-proof';
import { fakes, model, testApp, token } from './support';

const ROOT = resolve(__dirname, '../../..');
const EXPECTED = join(ROOT, 'apps/infra/expected-access.yaml');
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
let cdkOut: string;
let app: FastifyInstance;

beforeAll(() => {
  cdkOut = join(mkdtempSync(join(tmpdir(), 'admin-api-templates-')), 'cdk.out');
  execFileSync(
    process.execPath,
    [TSX, '--tsconfig', 'apps/infra/tsconfig.json', 'apps/infra/src/cli/synth.ts', cdkOut],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
  );
}, 600_000);

afterAll(async () => {
  await app?.close();
  rmSync(join(cdkOut, '..'), { recursive: true, force: true });
});

it("serves dev's access proof from its templates, as the access report computes it", async () => {
  const f = fakes();
  const access = new TemplatesAccessProof(
    model,
    'dev',
    { acls: async () => deriveAcls(model, 'dev') },
    { templatesDir: cdkOut, expectedFile: EXPECTED },
  );
  app = await testApp({ ...f, sources: { ...f.sources, access } });
  const res = await app.inject({
    url: '/api/v1/compliance/access?include_matrix=true',
    headers: { authorization: `Bearer ${await token('viewer', true)}` },
  });
  expect(res.statusCode).toBe(200);
  const body = res.json();
  expect(body.aws_not_evaluated).toBeUndefined();
  expect(body.aws_cells.length).toBeGreaterThan(100);
  expect(body.verdicts.some((v: { plane: string }) => v.plane === 'aws')).toBe(true);

  const cli = spawnSync(
    process.execPath,
    [TSX, 'tools/access-report/src/main.ts', 'report', '--env', 'dev', '--cdk-out', cdkOut, '--json'],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  const report = JSON.parse(cli.stdout);
  expect({ passed: body.passed, exit: body.exit_code, account: body.account }).toEqual({
    passed: report.passed,
    exit: cli.status,
    account: report.account,
  });
  expect(body.findings).toEqual(report.findings);
  expect(body.aws_cells.length).toBe(report.aws.cells.length);
});
