import type { CfnTemplate } from './cloud-assembly';
import { IntrinsicError, resolveValue, type ResolutionScope } from './intrinsics';

const template: CfnTemplate = {
  Resources: {
    Bucket1: { Type: 'AWS::S3::Bucket' },
    Named: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'named-bucket' } },
    Role1: { Type: 'AWS::IAM::Role', Properties: { Path: '/svc/' } },
    Key1: { Type: 'AWS::KMS::Key' },
    Secret1: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'db-admin' } },
    Db: { Type: 'AWS::RDS::DBInstance', Properties: { DBInstanceIdentifier: 'Source-DB' } },
    Wg: { Type: 'AWS::Athena::WorkGroup', Properties: { Name: 'lakewall-x' } },
    Vpc: { Type: 'AWS::EC2::VPC' },
  },
};
const scope: ResolutionScope = {
  account: '111111111111',
  region: 'eu-west-1',
  stackName: 'st',
  template,
  exports: new Map([['shared-key-arn', 'arn:aws:kms:eu-west-1:111111111111:key/k']]),
};
const r = (v: unknown) => resolveValue(v, scope);

describe('CloudFormation intrinsics resolve to the ARNs the environment will have', () => {
  it('resolves Ref and Fn::GetAtt per resource type, with generated names for unnamed resources', () => {
    expect(r({ Ref: 'Bucket1' })).toBe('st-bucket1');
    expect(r({ 'Fn::GetAtt': ['Named', 'Arn'] })).toBe('arn:aws:s3:::named-bucket');
    expect(r({ 'Fn::GetAtt': ['Role1', 'Arn'] })).toBe('arn:aws:iam::111111111111:role/svc/st-Role1');
    expect(r({ 'Fn::GetAtt': 'Key1.Arn' })).toBe('arn:aws:kms:eu-west-1:111111111111:key/key-Key1');
    expect(r({ Ref: 'Secret1' })).toMatch(
      /^arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-admin-[A-Za-z]{6}$/,
    );
    expect(r({ 'Fn::GetAtt': ['Db', 'DBInstanceArn'] })).toBe(
      'arn:aws:rds:eu-west-1:111111111111:db:source-db',
    );
    expect(r({ Ref: 'Wg' })).toBe('lakewall-x');
  });

  it('resolves Fn::Join, Fn::Sub (with pseudo parameters, attributes and variables), Fn::Select and Fn::Split', () => {
    expect(r({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Named', 'Arn'] }, '/topics/*']] })).toBe(
      'arn:aws:s3:::named-bucket/topics/*',
    );
    expect(
      r({ 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${Named}' }),
    ).toBe('arn:aws:logs:eu-west-1:111111111111:log-group:named-bucket');
    expect(r({ 'Fn::Sub': ['${Arn}/x/${Key1.Arn}', { Arn: { 'Fn::GetAtt': ['Named', 'Arn'] } }] })).toBe(
      'arn:aws:s3:::named-bucket/x/arn:aws:kms:eu-west-1:111111111111:key/key-Key1',
    );
    expect(r({ 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] })).toBe('b');
  });

  it('resolves Fn::ImportValue from the exports of the environment and drops AWS::NoValue', () => {
    expect(r({ 'Fn::ImportValue': 'shared-key-arn' })).toBe('arn:aws:kms:eu-west-1:111111111111:key/k');
    expect(r({ A: 1, B: { Ref: 'AWS::NoValue' }, C: ['x', { Ref: 'AWS::NoValue' }] })).toEqual({
      A: 1,
      C: ['x'],
    });
  });

  it('gives attributes that name no guarded resource a stand-in that cannot match an ARN', () => {
    expect(r({ 'Fn::GetAtt': ['Vpc', 'DefaultSecurityGroup'] })).toBe('Vpc.DefaultSecurityGroup');
  });

  it('fails, naming the place, on a reference it cannot resolve', () => {
    expect(() => resolveValue({ X: { Ref: 'Missing' } }, scope, 'st Role1.Properties')).toThrow(
      IntrinsicError,
    );
    expect(() => resolveValue({ X: { Ref: 'Missing' } }, scope, 'st Role1.Properties')).toThrow(
      /st Role1\.Properties\.X\.Ref: "Missing" is not a resource of stack st/,
    );
    expect(() => r({ 'Fn::ImportValue': 'nope' })).toThrow(/no stack of this environment exports "nope"/);
  });
});
