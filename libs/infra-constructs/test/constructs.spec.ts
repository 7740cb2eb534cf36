import { App, Duration, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Port } from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeNag, listAcknowledgments } from '../src/nag/acknowledge';
import { LakeNetwork } from '../src/network/lake-network';
import { SgIngress } from '../src/network/sg-ingress';
import { LogBucket } from '../src/lake/log-bucket';
import { LakeZone } from '../src/lake/lake-zone';
import { LakeCatalog } from '../src/catalog/lake-catalog';
import { HumanRole } from '../src/athena/human-role';
import { bareStack, testStack, withKeyAdministration } from './helpers';
import { secureKey } from '../src/defaults/secure-key';

function zoneIn(stack: Stack, cleared = ['reader']) {
  withKeyAdministration(stack);
  const logs = new LogBucket(stack, 'Logs', { retentionDays: 30 });
  return new LakeZone(stack, 'Zone', {
    zone: 'secret',
    layers: ['raw', 'curated'],
    clearedPrincipals: cleared,
    retentionDays: 30,
    accessLogsBucket: logs.bucket,
    keyAlias: 'alias/test-secret',
  });
}

describe('SgIngress', () => {
  it('writes the ingress on the target and the egress on the source', () => {
    const stack = testStack();
    const logs = new LogBucket(stack, 'Logs', { retentionDays: 30 });
    const net = new LakeNetwork(stack, 'Net', {
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      flowLogBucket: logs.bucket,
    });
    const a = net.newSecurityGroup('A', 'client');
    const b = net.newSecurityGroup('B', 'server');
    SgIngress.allow(a, b, Port.tcp(5432), 'client to server');
    const t = Template.fromStack(stack);
    const id = (sg: typeof a) => stack.getLogicalId(sg.node.defaultChild as never);
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [id(b), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [id(a), 'GroupId'] },
      FromPort: 5432,
      ToPort: 5432,
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [id(a), 'GroupId'] },
      DestinationSecurityGroupId: { 'Fn::GetAtt': [id(b), 'GroupId'] },
      FromPort: 5432,
    });
  });
  it('refuses a group reaching itself', () => {
    const stack = testStack();
    const logs = new LogBucket(stack, 'Logs', { retentionDays: 30 });
    const net = new LakeNetwork(stack, 'Net', {
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      flowLogBucket: logs.bucket,
    });
    const a = net.newSecurityGroup('A', 'client');
    expect(() => SgIngress.allow(a, a, Port.tcp(1), 'x')).toThrow(/reaching itself/);
  });
});

describe('LakeNetwork', () => {
  it('needs two zones and builds isolated subnets with endpoints and flow logs', () => {
    const stack = testStack();
    const logs = new LogBucket(stack, 'Logs', { retentionDays: 30 });
    expect(
      () => new LakeNetwork(stack, 'One', { availabilityZones: ['eu-west-1a'], flowLogBucket: logs.bucket }),
    ).toThrow(/at least 2 zones/);
    new LakeNetwork(stack, 'Net', {
      availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      flowLogBucket: logs.bucket,
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::EC2::Subnet', 3);
    t.resourceCountIs('AWS::EC2::InternetGateway', 0);
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    t.resourceCountIs('AWS::EC2::VPCEndpoint', 9);
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: Match.objectLike({}),
    });
    t.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 's3' });
  });
});

describe('LakeZone', () => {
  it('refuses to grant a principal the zone does not clear', () => {
    const stack = testStack();
    const zone = zoneIn(stack);
    const role = new iam.Role(stack, 'Intruder', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => zone.grantRead('intruder', role, 'raw')).toThrow(
      /'intruder' is not cleared for zone secret/,
    );
  });
  it('names the missing layer', () => {
    const zone = zoneIn(testStack());
    expect(() => zone.bucket('analytics')).toThrow(/has no layer 'analytics'/);
  });
  it('writes exactly the granted roles into the key deny allow-list', () => {
    const stack = testStack();
    const zone = zoneIn(stack);
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    zone.grantRead('reader', reader, 'raw');
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Condition: {
              ArnNotEquals: {
                'aws:PrincipalArn': [
                  { 'Fn::GetAtt': [stack.getLogicalId(reader.node.defaultChild as never), 'Arn'] },
                ],
              },
            },
          }),
        ]),
      },
    });
  });
  it('fails synthesis when nobody was granted the zone', () => {
    const stack = testStack();
    zoneIn(stack);
    expect(() => Template.fromStack(stack)).toThrow(/no role was granted access to zone secret/);
  });
  it('denies PutObject without SSE-KMS or with another key on every layer bucket', () => {
    const stack = testStack();
    const zone = zoneIn(stack);
    zone.grantRead('reader', new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() }), 'raw');
    const policies = Template.fromStack(stack).findResources('AWS::S3::BucketPolicy');
    const kmsGuarded = Object.values(policies).filter((p) =>
      JSON.stringify(p).includes('DenyObjectsNotEncryptedWithKms'),
    );
    // raw, curated and the query-results bucket
    expect(kmsGuarded).toHaveLength(3);
    for (const p of kmsGuarded) {
      expect(JSON.stringify(p)).toContain('DenyObjectsEncryptedWithAnotherKey');
      expect(JSON.stringify(p)).toContain('"aws:SecureTransport":"false"');
    }
  });
});

describe('LakeCatalog.grantRead', () => {
  it('refuses a database it does not have', () => {
    const stack = testStack();
    const zone = zoneIn(stack);
    const catalog = new LakeCatalog(stack, 'Catalog', {
      databases: [{ name: 'db_raw', zone: 'secret', layer: 'raw' }],
      icebergTables: [],
      locationOf: () => `s3://${zone.bucket('raw').bucketName}/`,
    });
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => catalog.grantRead(role, ['db_other'])).toThrow(/unknown database 'db_other'/);
  });
});

describe('HumanRole', () => {
  const trust = {
    assumedBy: {
      permissionSetRoleArns: [
        'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_P_*',
      ],
      iamUsers: ['arn:aws:iam::123456789012:user/u'],
    },
    mfaMaxAge: Duration.minutes(15),
    identityProvider: { mfaTag: 'mfa', identityTag: 'who' },
  };
  const trustOf = (t: Template) =>
    Object.values(t.findResources('AWS::IAM::Role'))
      .map((r) => JSON.stringify(r.Properties.AssumeRolePolicyDocument))
      .find((doc) => doc.includes('sts:SetSourceIdentity'))!;

  it('with MFA: each path proves MFA, names its person, and a guard denies sessions that do not', () => {
    const stack = testStack();
    new HumanRole(stack, 'H', { ...trust, principal: 'p', description: 'd', mfa: true });
    const t = Template.fromStack(stack);
    const doc = trustOf(t);
    expect(doc).toContain('"aws:PrincipalTag/mfa":"true"');
    expect(doc).toContain('"aws:MultiFactorAuthPresent":"true"');
    expect(doc).toContain('"aws:MultiFactorAuthAge":"900"');
    expect(doc).toContain('"sts:SourceIdentity":"${aws:PrincipalTag/who}"');
    expect(doc).toContain('"sts:SourceIdentity":"${aws:username}"');
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'DenyAllWithoutSourceIdentity', Effect: 'Deny', Action: '*' }),
          Match.objectLike({
            Sid: 'DenyAllWithoutMfa',
            Effect: 'Deny',
            Action: '*',
            Resource: '*',
            Condition: {
              BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' },
              StringNotEquals: { 'aws:PrincipalTag/mfa': 'true' },
            },
          }),
        ]),
      },
    });
  });
  it('without MFA: still names its person, but no MFA deny and no session tags', () => {
    const stack = testStack();
    new HumanRole(stack, 'H', { ...trust, principal: 'p', description: 'd', mfa: false });
    const t = Template.fromStack(stack);
    expect(trustOf(t)).not.toMatch(/MultiFactor|sts:TagSession|PrincipalTag\/mfa/);
    expect(trustOf(t)).toContain('sts:SourceIdentity');
    expect(JSON.stringify(t.findResources('AWS::IAM::ManagedPolicy'))).not.toContain('DenyAllWithoutMfa');
  });
  it('refuses a role nobody may assume', () => {
    const stack = testStack();
    expect(
      () =>
        new HumanRole(stack, 'H', {
          ...trust,
          assumedBy: { permissionSetRoleArns: [], iamUsers: [] },
          principal: 'p',
          description: 'd',
          mfa: true,
        }),
    ).toThrow(/names nobody/);
  });
});

describe('KeyAdministration', () => {
  it('refuses a key made without secureKey (fail closed), and a key before the administration exists', () => {
    const stack = bareStack();
    expect(() => secureKey(stack, 'Early', { alias: 'alias/early', description: 'd' })).toThrow(
      /needs the stack's KeyAdministration/,
    );
    withKeyAdministration(stack);
    new kms.Key(stack, 'Stray');
    expect(() => Template.fromStack(stack)).toThrow(/key Test\/Stray was not made with secureKey/);
  });
});

describe('acknowledgeNag', () => {
  it('records one rule with its reason, and rejects unknown ids or empty reasons', () => {
    const stack = testStack();
    acknowledgeNag(stack, 'AwsSolutions-S1', 'a reason long enough to mean something');
    expect(listAcknowledgments(stack)).toEqual([
      { path: 'Test', rule: 'AwsSolutions-S1', reason: 'a reason long enough to mean something' },
    ]);
    expect(() => acknowledgeNag(stack, 'S1', 'a reason long enough to mean something')).toThrow(
      /not a cdk-nag rule id/,
    );
    expect(() => acknowledgeNag(stack, 'AwsSolutions-S1', 'short')).toThrow(/real reason/);
  });
});

describe('LogBucket', () => {
  it('refuses to build without log delivery through the bucket policy (ACLs stay disabled)', () => {
    const stack = new Stack(new App(), 'NoFlags', { env: { account: '123456789012', region: 'eu-west-1' } });
    expect(() => new LogBucket(stack, 'Logs', { retentionDays: 30 })).toThrow(
      /serverAccessLogsUseBucketPolicy/,
    );
  });
});
