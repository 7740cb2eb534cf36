import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../src';
import { logicalIdOf, TEST_CDK_OUT } from './real-templates';

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe('npm run access -- report', () => {
  let copy: string;
  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'access-report-'));
    cpSync(TEST_CDK_OUT, copy, { recursive: true });
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('passes on the real dev templates, prints the matrix, and writes the report beside the templates', async () => {
    const { code, stdout } = await cli('report', '--env', 'dev', '--cdk-out', copy);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Access proof: dev \(account 111111111111, us-east-1\)/);
    expect(stdout).toContain('AWS matrix');
    expect(readFileSync(join(copy, 'access-report-dev.txt'), 'utf8')).toBe(stdout);
    expect(existsSync(join(copy, 'access-report-dev.json'))).toBe(true);
  });

  it('prints the whole matrix as JSON with --json', async () => {
    const { code, stdout } = await cli('report', '--env', 'staging', '--cdk-out', copy, '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ environment: 'staging', account: '222222222222', passed: true });
    expect(report.aws.cells.length).toBeGreaterThan(100);
    expect(report.aws.cells[0]).toEqual(
      expect.objectContaining({
        plane: 'aws',
        principal: expect.any(String),
        allowed: expect.any(Boolean),
        via: expect.any(Array),
      }),
    );
    expect(report.kafka.cells[0]).toEqual(
      expect.objectContaining({ plane: 'kafka', resource: expect.stringMatching(/^topic:/) }),
    );
  });

  it('exits 4 and names the path when a template on disk grows a hole', async () => {
    const dir = join(copy, 'assembly-dev');
    const file = join(
      dir,
      readdirSync(dir).find((f) => f.includes('Infra') && f.endsWith('.template.json'))!,
    );
    const template = JSON.parse(readFileSync(file, 'utf8'));
    const policy =
      template.Resources[logicalIdOf(template.Resources, 'QuerydataanalystsHumanRoleDefaultPolicy')];
    const mnpiRawObjects = {
      'Fn::Join': [
        '',
        [{ 'Fn::GetAtt': [logicalIdOf(template.Resources, 'ZonemnpiRawBucket'), 'Arn'] }, '/*'],
      ],
    };
    policy.Properties.PolicyDocument.Statement.push(
      { Effect: 'Allow', Action: 'kms:*', Resource: '*' },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: mnpiRawObjects },
    );
    writeFileSync(file, JSON.stringify(template));
    const { code, stdout, stderr } = await cli('report', '--env', 'dev', '--cdk-out', copy);
    expect(code).toBe(4);
    // The object read is named; kms:* on * opens no key the analysts are not listed on (the catalog
    // key they use with MFA is reached without MFA, which the gate names too).
    expect(stdout).toContain(
      'VIOLATION: data-analysts → s3:GetObject on bucket:ZonemnpiRawBucket (without MFA)',
    );
    expect(stdout).not.toMatch(/data-analysts → kms:Decrypt on key:(?!CatalogKey )/);
    expect(stderr).toContain('exit 4');
  });

  it('refuses an unknown environment with a usage error (exit 2)', async () => {
    const { code, stderr } = await cli('report', '--env', 'qa', '--cdk-out', copy);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Allowed choices are local, dev, staging, prod/);
  });

  it('refuses connection options without --live (exit 2): they would be silently ignored', async () => {
    const { code, stderr } = await cli('report', '--env', 'dev', '--cdk-out', copy, '--brokers', 'b:9092');
    expect(code).toBe(2);
    expect(stderr).toContain('--brokers is a connection option: it needs --live');
  });

  it('reports the local environment as the Kafka plane alone, from the model, writing nothing', async () => {
    const before = readdirSync(copy).sort();
    const { code, stdout } = await cli('report', '--env', 'local', '--cdk-out', copy);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Access proof: local \(account none,/);
    expect(stdout).toContain('AWS plane: not evaluated: the local stack has no AWS account');
    expect(stdout).toContain("Kafka plane (the model's ACLs for local)");
    expect(readdirSync(copy).sort()).toEqual(before);
  });
});
