import { CloudAssemblyError, loadEnvironmentTemplates } from './aws/cloud-assembly';
import { entryCovers, ExpectedAccessError, parseExpectedAccess } from './expected-access';
import { MINI_CDK_OUT } from '../test/mini-fixture';

describe('the expected-access list', () => {
  it('rejects an entry without a reason, naming where', () => {
    expect(() =>
      parseExpectedAccess(
        'expected:\n  - { principal: a, resource: b, access: read, mfa: any, reason: "" }',
        'x.yaml',
      ),
    ).toThrow(/x\.yaml is invalid:\n {2}expected\.0\.reason: must explain why/);
  });

  it('rejects an unknown access kind and unknown keys', () => {
    expect(() =>
      parseExpectedAccess(
        'acknowledged:\n  - { principal: a, resource: b, access: peek, reason: because of x }',
      ),
    ).toThrow(ExpectedAccessError);
    expect(() => parseExpectedAccess('expected: []\nallowed: []')).toThrow(/Unrecognized key/);
  });

  it('matches principals and resources by glob or list, accesses by kind, and environments when given', () => {
    const e = {
      principal: ['a', 'b-*'],
      resource: 'glue-table:lakewall_*_mnpi.*',
      access: ['read'],
      environments: ['prod'],
    };
    expect(entryCovers(e, 'prod', 'b-x', 'glue-table:lakewall_raw_mnpi.trades', 'read')).toBe(true);
    expect(entryCovers(e, 'dev', 'b-x', 'glue-table:lakewall_raw_mnpi.trades', 'read')).toBe(false);
    expect(entryCovers(e, 'prod', 'c', 'glue-table:lakewall_raw_mnpi.trades', 'read')).toBe(false);
    expect(entryCovers(e, 'prod', 'a', 'glue-table:lakewall_raw_public.x', 'read')).toBe(false);
    expect(entryCovers(e, 'prod', 'a', 'glue-table:lakewall_raw_mnpi.x', 'fetch')).toBe(false);
  });
});

describe('loading a cloud assembly', () => {
  it("reads a stage's stacks with the account and region they deploy to", () => {
    const env = loadEnvironmentTemplates(MINI_CDK_OUT, 'dev');
    expect(env).toMatchObject({ environment: 'dev', account: '111111111111', region: 'us-east-1' });
    expect(env.stacks.map((s) => s.stackName)).toEqual(['lakewall-dev-mini']);
  });

  it('names the stages it has when asked for one it does not', () => {
    expect(() => loadEnvironmentTemplates(MINI_CDK_OUT, 'prod')).toThrow(CloudAssemblyError);
    expect(() => loadEnvironmentTemplates(MINI_CDK_OUT, 'prod')).toThrow(/no stage "prod" \(stages: dev\)/);
  });
});
