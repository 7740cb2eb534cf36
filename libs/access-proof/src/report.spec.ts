import { evaluateKafkaPlane } from './kafka/topic-policy-adapter';
import { parseExpectedAccess } from './expected-access';
import { buildAccessReport, EXIT } from './report';
import { renderText } from './render';
import { miniTemplates, model, mutated } from '../test/mini-fixture';

/** Acknowledges every finding the two outsiders have on the mini templates. */
const OUTSIDERS_ACKNOWLEDGED = `
  - principal: [account-admin, broad-data-user]
    resource: '*'
    access: [fetch, read, change-policy, assume]
    reason: the mini templates have no bucket or catalog policy that stops an administrator
`;
const SINK_EXPECTED = `
  - principal: sink-mnpi
    resource: key:ZonemnpiKey
    access: decrypt
    mfa: any
    reason: multipart uploads with SSE-KMS need Decrypt
`;

describe('the access report on hand-written templates', () => {
  it('fails (exit 4) on an allow nobody explained and names its path and deciding statements', async () => {
    const report = await buildAccessReport({ model, templates: miniTemplates() });
    expect(report.exitCode).toBe(EXIT.violation);
    const sink = report.findings.find((f) => f.principal === 'sink-mnpi');
    expect(sink).toMatchObject({ status: 'unexpected', resource: 'key:ZonemnpiKey', access: 'decrypt' });
    const admin = report.findings.find(
      (f) =>
        f.principal === 'account-admin' && f.access === 'change-policy' && f.resource === 'key:ZonemnpiKey',
    );
    expect(admin?.path).toBe(
      'account-admin → kms:PutKeyPolicy on key:ZonemnpiKey → then grant itself kms:Decrypt (without MFA)',
    );
    expect(renderText(report)).toContain('Allow by key policy of ZonemnpiKey [#1 Allow kms:*]');
  });

  it('keeps the zone key closed to everyone not on its allow-list, outsiders included', async () => {
    const report = await buildAccessReport({ model, templates: miniTemplates() });
    const decrypt = report.aws.cells.filter(
      (c) => c.resource === 'key:ZonemnpiKey' && c.access === 'decrypt' && c.allowed,
    );
    expect([...new Set(decrypt.map((c) => c.principal))]).toEqual(['sink-mnpi']);
    const denied = report.aws.cells.find(
      (c) =>
        c.principal === 'account-admin' && c.resource === 'bucket:ZonemnpiRawBucket' && c.access === 'read',
    )!;
    expect(denied.allowed).toBe(false);
    expect(denied.via[0].steps.at(-1)?.deciding[0]).toMatchObject({
      effect: 'Deny',
      statement: 'DenyUseByRolesNotClearedForZone',
    });
  });

  it('passes (exit 0) when every allow is expected or acknowledged, and prints the acknowledged ones', async () => {
    const expected = parseExpectedAccess(`expected:${SINK_EXPECTED}acknowledged:${OUTSIDERS_ACKNOWLEDGED}`);
    const report = await buildAccessReport({ model, templates: miniTemplates(), expected });
    expect(report.findings.filter((f) => f.status !== 'acknowledged')).toEqual([]);
    expect(report.exitCode).toBe(EXIT.ok);
    expect(renderText(report)).toMatch(/Acknowledged findings \(14\)/);
  });

  it('fails (exit 3) on an expected entry that matches nothing any more', async () => {
    const stale = `${SINK_EXPECTED}
  - principal: sink-mnpi
    resource: bucket:ZonemnpiRawBucket
    access: read
    mfa: any
    reason: the sink used to read its own objects
`;
    const expected = parseExpectedAccess(`expected:${stale}acknowledged:${OUTSIDERS_ACKNOWLEDGED}`);
    const report = await buildAccessReport({ model, templates: miniTemplates(), expected });
    expect(report.staleEntries).toEqual(['expected[1] (sink-mnpi read bucket:ZonemnpiRawBucket)']);
    expect(report.exitCode).toBe(EXIT.staleExpectations);
  });

  it('refuses an expected entry for a principal the model does not clear for MNPI', async () => {
    const templates = mutated((r) => {
      (r.AnalystPolicyCCCCCCCC.Properties!.PolicyDocument as { Statement: unknown[] }).Statement.push({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['ZonemnpiRawBucket60FC7F79', 'Arn'] }, '/*']] },
      });
    });
    const expected = parseExpectedAccess(`expected:
  - principal: data-analysts
    resource: bucket:ZonemnpiRawBucket
    access: fetch
    mfa: any
    reason: an attempt to clear a principal outside the model
`);
    await expect(buildAccessReport({ model, templates, expected })).rejects.toThrow(
      /covers data-analysts, which the model does not clear for MNPI/,
    );
  });

  it('finds an analyst policy that reaches MNPI objects, even though the key still refuses the decrypt', async () => {
    const templates = mutated((r) => {
      (r.AnalystPolicyCCCCCCCC.Properties!.PolicyDocument as { Statement: unknown[] }).Statement.push({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['ZonemnpiRawBucket60FC7F79', 'Arn'] }, '/*']] },
      });
    });
    const expected = parseExpectedAccess(`expected:${SINK_EXPECTED}acknowledged:${OUTSIDERS_ACKNOWLEDGED}`);
    const report = await buildAccessReport({ model, templates, expected });
    expect(report.exitCode).toBe(EXIT.violation);
    expect(report.findings.filter((f) => f.status === 'violation').map((f) => f.path)).toEqual([
      'data-analysts → s3:GetObject on bucket:ZonemnpiRawBucket (without MFA)',
    ]);
    expect(report.verdicts.find((v) => v.plane === 'aws' && v.principal === 'data-analysts')?.verdict).toBe(
      'fail',
    );
  });

  it('fails closed on an AWS managed policy it cannot read', async () => {
    const templates = mutated((r) => {
      r.AnalystRoleBBBBBBBB.Properties!.ManagedPolicyArns = ['arn:aws:iam::aws:policy/SomethingUnknown'];
    });
    const report = await buildAccessReport({ model, templates });
    expect(report.unresolvedPolicies).toEqual([
      { principal: 'data-analysts', policy: 'arn:aws:iam::aws:policy/SomethingUnknown' },
    ]);
    expect(
      report.findings.some(
        (f) =>
          f.principal === 'data-analysts' && f.access === 'change-policy' && f.resource === 'key:ZonemnpiKey',
      ),
    ).toBe(true);
  });

  it('treats a bucket nothing classifies as MNPI', async () => {
    const templates = mutated((r) => {
      r.Unlabelled = { Type: 'AWS::S3::Bucket' };
    });
    const report = await buildAccessReport({ model, templates });
    expect(report.aws.resources.find((x) => x.id === 'bucket:Unlabelled')?.why).toMatch(/treated as MNPI/);
    expect(report.aws.resources.some((x) => x.id === 'bucket:ZonepublicRawBucket')).toBe(false);
  });
});

describe('the Kafka plane, from the topic engine', () => {
  it("finds no path to MNPI topics in the model's own ACLs, and lets cleared principals do their jobs", () => {
    const plane = evaluateKafkaPlane({ model, env: 'dev' });
    expect(plane.violations).toEqual([]);
    const allowed = (p: string, op: string) =>
      plane.cells.some(
        (c) => c.principal === p && c.resource === 'topic:cdc.trades.mnpi' && c.operation === op && c.allowed,
      );
    expect(allowed('User:sink-mnpi', 'READ')).toBe(true);
    expect(allowed('User:debezium', 'WRITE')).toBe(true);
    expect(allowed('User:data-analysts', 'READ')).toBe(false);
    expect(allowed('User:<not in the model>', 'DESCRIBE')).toBe(false);
  });

  it('reports a live ACL that lets a public principal read an MNPI topic, with the engine’s kind and message', () => {
    const plane = evaluateKafkaPlane({
      model,
      env: 'dev',
      liveAcls: [
        {
          principal: 'User:data-analysts',
          host: '*',
          resourceType: 'TOPIC',
          resourceName: 'cdc.',
          patternType: 'PREFIXED',
          operation: 'READ',
          permission: 'ALLOW',
        },
      ],
    });
    expect(plane.source).toBe('live cluster ACLs');
    expect(plane.violations.map((v) => `${v.kind} ${v.principal} ${v.resource}`)).toEqual(
      expect.arrayContaining([
        'read User:data-analysts topic:cdc.trades.mnpi',
        expect.stringMatching(/^prefix-capture User:data-analysts/),
      ]),
    );
  });

  it('reports a live escalation on the cluster, with its kind', () => {
    const plane = evaluateKafkaPlane({
      model,
      env: 'dev',
      liveAcls: [
        {
          principal: 'User:sink-public',
          host: '*',
          resourceType: 'CLUSTER',
          resourceName: 'kafka-cluster',
          patternType: 'LITERAL',
          operation: 'ALTER',
          permission: 'ALLOW',
        },
      ],
    });
    expect(plane.violations.map((v) => `${v.kind} ${v.principal} ${v.resource}`)).toEqual([
      'escalation User:sink-public cluster:kafka-cluster',
    ]);
    expect(
      plane.cells.find(
        (c) =>
          c.principal === 'User:sink-public' &&
          c.resource === 'cluster:kafka-cluster' &&
          c.operation === 'ALTER',
      )?.allowed,
    ).toBe(true);
  });
});
