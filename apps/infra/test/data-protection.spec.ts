import { deriveLakeBuckets } from '@lakewall/platform-model';
import { buildAll, CLOUD_ENVIRONMENTS, logicalId, resourcesOf } from './fixtures';

type Statement = {
  Effect: string;
  Action?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
  Sid?: string;
};

describe.each(CLOUD_ENVIRONMENTS)('data protection in %s', (env) => {
  const { model, stages, templates } = buildAll();
  const stack = stages.get(env)!.infra;
  const template = templates.get(env)!;
  const buckets = resourcesOf(template, 'AWS::S3::Bucket');
  const policies = Object.values(resourcesOf(template, 'AWS::S3::BucketPolicy'));
  const statementsFor = (bucketId: string): Statement[] =>
    policies
      .filter((p) => JSON.stringify(p.Properties!.Bucket) === JSON.stringify({ Ref: bucketId }))
      .flatMap((p) => (p.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
  const retention = model.environments[env].lake.retentionDays;

  it('has a bucket per zone and layer from the model, plus results, trail and log buckets', () => {
    expect(deriveLakeBuckets(model)).toHaveLength(6);
    expect(Object.keys(buckets)).toHaveLength(6 + 2 + 1 + 1);
  });

  it.each(Object.keys(buckets))(
    'bucket %s: TLS-only policy, public access blocked, versioned, encrypted',
    (id) => {
      const tlsDeny = statementsFor(id).find(
        (s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
      );
      expect(tlsDeny).toBeDefined();
      const props = buckets[id]!.Properties!;
      expect(props.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(props.BucketEncryption).toBeDefined();
    },
  );

  it('every lake bucket accepts only SSE-KMS writes with its zone key, and logs access', () => {
    for (const zone of stack.zones.values()) {
      for (const bucket of [...zone.buckets, zone.queryResults.bucket]) {
        const id = logicalId(bucket);
        const props = buckets[id]!.Properties!;
        expect(JSON.stringify(props.BucketEncryption)).toContain(
          `"KMSMasterKeyID":{"Fn::GetAtt":["${logicalId(zone.key)}","Arn"]}`,
        );
        expect(props.LoggingConfiguration).toMatchObject({
          DestinationBucketName: { Ref: expect.stringMatching(/^AccessLogsBucket/) },
        });
        const sids = statementsFor(id).map((s) => s.Sid);
        expect(sids).toEqual(
          expect.arrayContaining([
            'DenyObjectsNotEncryptedWithKms',
            'DenyObjectsEncryptedWithAnotherKey',
            'DenyObjectsWithCustomerProvidedKeys',
          ]),
        );
        const wrongKey = statementsFor(id).find((s) => s.Sid === 'DenyObjectsEncryptedWithAnotherKey')!;
        expect(JSON.stringify(wrongKey.Condition)).toContain(logicalId(zone.key));
      }
    }
  });

  it(`non-Iceberg lake layer buckets expire objects after the model's ${env} retention and transition only before it`, () => {
    for (const zone of stack.zones.values()) {
      for (const bucket of model.layers.filter((l) => l !== 'raw').map((l) => zone.bucket(l))) {
        const rules = (
          buckets[logicalId(bucket)]!.Properties!.LifecycleConfiguration as {
            Rules: { ExpirationInDays?: number; Transitions?: { TransitionInDays: number }[] }[];
          }
        ).Rules;
        const retentionRule = rules.find((r) => r.ExpirationInDays !== undefined)!;
        expect(retentionRule.ExpirationInDays).toBe(retention);
        for (const t of retentionRule.Transitions ?? []) expect(t.TransitionInDays).toBeLessThan(retention);
      }
    }
  });

  it('every KMS key rotates', () => {
    const keys = Object.values(resourcesOf(template, 'AWS::KMS::Key'));
    expect(keys.length).toBeGreaterThanOrEqual(5);
    for (const key of keys) expect(key.Properties!.EnableKeyRotation).toBe(true);
  });

  it('one key per zone, each used only by its own zone buckets', () => {
    const keyOfBucket = (id: string) =>
      JSON.stringify(buckets[id]!.Properties!.BucketEncryption).match(
        /"KMSMasterKeyID":\{"Fn::GetAtt":\["([^"]+)"/,
      )?.[1];
    const keysByZone = new Map<string, Set<string | undefined>>();
    for (const [name, zone] of stack.zones) {
      keysByZone.set(
        name,
        new Set([...zone.buckets, zone.queryResults.bucket].map((b) => keyOfBucket(logicalId(b)))),
      );
      // Every bucket of the zone uses exactly the zone's own key.
      expect([name, [...keysByZone.get(name)!]]).toEqual([name, [logicalId(zone.key)]]);
    }
    // Distinct keys: no bucket of one zone is encrypted with another zone's key.
    const all = [...keysByZone.values()].flatMap((s) => [...s]);
    expect(new Set(all).size).toBe(stack.zones.size);
    // No other bucket (trail, access logs) uses a zone key.
    const zoneBucketIds = new Set(
      [...stack.zones.values()].flatMap((z) =>
        [...z.buckets, z.queryResults.bucket].map((b) => logicalId(b)),
      ),
    );
    for (const id of Object.keys(buckets).filter((b) => !zoneBucketIds.has(b)))
      for (const zone of stack.zones.values())
        expect([id, keyOfBucket(id)]).not.toEqual([id, logicalId(zone.key)]);
    // Each zone key's policy admits exactly the roles granted on that zone, and no role of another zone's only.
    for (const [name, zone] of stack.zones) {
      const policy = resourcesOf(template, 'AWS::KMS::Key')[logicalId(zone.key)]!.Properties!.KeyPolicy as {
        Statement: Statement[];
      };
      const deny = policy.Statement.find((s) => s.Sid === 'DenyUseByRolesNotClearedForZone')!;
      const admitted = (deny.Condition!.ArnNotEquals!['aws:PrincipalArn'] as { 'Fn::GetAtt': [string] }[])
        .map((a) => a['Fn::GetAtt'][0])
        .sort();
      expect([name, admitted]).toEqual([name, zone.clearedRoles.map((r) => logicalId(r)).sort()]);
    }
    const sinkMnpi = logicalId(stack.sinkRoles.get('sink-mnpi/raw')!.role);
    const publicKeyPolicy = JSON.stringify(
      resourcesOf(template, 'AWS::KMS::Key')[logicalId(stack.zones.get('public')!.key)],
    );
    expect(publicKeyPolicy).not.toContain(sinkMnpi);
  });

  it('no security group admits 0.0.0.0/0 or ::/0', () => {
    const open = /"CidrIp(v6)?":"(0\.0\.0\.0\/0|::\/0)"/;
    for (const sg of Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroup'))) {
      expect(JSON.stringify(sg.Properties!.SecurityGroupIngress ?? [])).not.toMatch(open);
    }
    for (const rule of Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroupIngress'))) {
      expect(JSON.stringify(rule.Properties)).not.toMatch(open);
    }
  });

  it('security groups do not allow all outbound traffic', () => {
    for (const sg of Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroup'))) {
      expect(JSON.stringify(sg.Properties!.SecurityGroupEgress ?? [])).not.toMatch(
        /"CidrIp":"0\.0\.0\.0\/0"/,
      );
    }
  });

  it('the database accepts connections only from declared security groups on 5432', () => {
    const dbSg = logicalId(stack.database.securityGroup);
    const rules = Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroupIngress')).filter((r) =>
      JSON.stringify(r.Properties!.GroupId).includes(dbSg),
    );
    // No inline rule can bypass the declared flows (the data plane adds Debezium's through SgIngress).
    expect(
      resourcesOf(template, 'AWS::EC2::SecurityGroup')[dbSg]!.Properties!.SecurityGroupIngress,
    ).toBeUndefined();
    for (const r of rules) {
      expect(r.Properties).toMatchObject({
        FromPort: 5432,
        ToPort: 5432,
        SourceSecurityGroupId: { 'Fn::GetAtt': [expect.any(String), 'GroupId'] },
      });
      expect(r.Properties!.CidrIp).toBeUndefined();
    }
  });

  it('the VPC has no internet route: isolated subnets, endpoints for AWS APIs, flow logs', () => {
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::Subnet', model.environments[env].availabilityZones!);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 9);
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL' });
    for (const s of Object.values(resourcesOf(template, 'AWS::EC2::Subnet')))
      expect(s.Properties!.MapPublicIpOnLaunch).toBe(false);
  });
});
