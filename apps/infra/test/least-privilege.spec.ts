import { buildAll, CLOUD_ENVIRONMENTS, logicalId, policiesOfRole, resourcesOf } from './fixtures';

type Statement = {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Condition?: unknown;
  Principal?: unknown;
};
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** The rest of the review's findings on roles and buckets, on the synthesized templates. */
describe.each(CLOUD_ENVIRONMENTS)('least privilege in %s', (env) => {
  const { model, stages, templates } = buildAll();
  const stack = stages.get(env)!.infra;
  const template = templates.get(env)!;
  const allowsOf = (roleId: string) =>
    (policiesOfRole(template, roleId) as { Properties: { PolicyDocument: { Statement: Statement[] } } }[])
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s) => s.Effect === 'Allow');

  it.each(stack.queryAccess.map((q) => [q.workgroup.name, q] as const))(
    '%s: no version deletion, re-encryption, legal hold or retention change; lists only its own results prefix',
    (workgroup, q) => {
      const allows = allowsOf(logicalId(q.role));
      const actions = allows.flatMap(actionsOf);
      for (const forbidden of [
        /^s3:Delete/,
        /^s3:\*$/,
        /^s3:PutObjectLegalHold$/,
        /^s3:PutObjectRetention$/,
        /^s3:PutObject\*?Tagging/,
        /^kms:ReEncrypt/,
        /^kms:\*$/,
        /^s3:Abort\*$/,
      ])
        expect([workgroup, actions.filter((a) => forbidden.test(a))]).toEqual([workgroup, []]);
      const list = allows.filter((s) => actionsOf(s).includes('s3:ListBucket'));
      expect(list).toHaveLength(1);
      expect(list[0]!.Condition).toEqual({ StringLike: { 's3:prefix': [`${workgroup}/*`] } });
    },
  );

  it('sink roles trust only MSK Connect connectors of this account (aws:SourceAccount, aws:SourceArn)', () => {
    const facts = model.environments[env];
    for (const sink of stack.sinkRoles.values()) {
      const role = resourcesOf(template, 'AWS::IAM::Role')[logicalId(sink.role)]!;
      const statements = (role.Properties!.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
      expect(statements).toHaveLength(1);
      expect(statements[0]!.Principal).toEqual({ Service: 'kafkaconnect.amazonaws.com' });
      expect(statements[0]!.Condition).toEqual({
        StringEquals: { 'aws:SourceAccount': facts.account },
        ArnLike: { 'aws:SourceArn': `arn:aws:kafkaconnect:${facts.region}:${facts.account}:connector/*` },
      });
    }
  });

  it('every VPC endpoint has a policy limited to this account (resources, or principals where actions act on "*")', () => {
    const facts = model.environments[env];
    const endpoints = Object.values(resourcesOf(template, 'AWS::EC2::VPCEndpoint'));
    expect(endpoints).toHaveLength(9);
    for (const e of endpoints) {
      const service = JSON.stringify(e.Properties!.ServiceName);
      const statements = (
        e.Properties!.PolicyDocument as { Statement: (Statement & { Sid: string })[] } | undefined
      )?.Statement;
      expect([service, statements?.length]).toEqual([service, expect.any(Number)]);
      for (const st of statements!) {
        expect(st.Effect).toBe('Allow');
        if (st.Sid === 'EcrImageLayers') {
          expect(service).toContain('.s3');
          expect(st.Action).toBe('s3:GetObject');
          expect(st.Resource).toBe(`arn:aws:s3:::prod-${facts.region}-starport-layer-bucket/*`);
          continue;
        }
        const scope = (st.Condition as { StringEquals: Record<string, string> }).StringEquals;
        expect([service, Object.values(scope)]).toEqual([service, [facts.account]]);
        expect(Object.keys(scope)[0]).toMatch(/^aws:(ResourceAccount|PrincipalAccount)$/);
        if (/\.(s3|kms|secretsmanager|logs|glue|athena)"/.test(service))
          expect(Object.keys(scope)).toEqual(['aws:ResourceAccount']);
      }
    }
  });

  it('no implicit log group: every Lambda function logs to an explicit, encrypted group kept for the audit retention', () => {
    const groups = resourcesOf(template, 'AWS::Logs::LogGroup');
    const functions = Object.entries(resourcesOf(template, 'AWS::Lambda::Function'));
    expect(functions.length).toBeGreaterThan(0);
    for (const [id, fn] of functions) {
      const target = (fn.Properties!.LoggingConfig as { LogGroup?: { Ref: string } } | undefined)?.LogGroup;
      expect([id, target]).toEqual([id, { Ref: expect.any(String) }]);
      const group = groups[target!.Ref]!.Properties!;
      expect(group.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
      expect(group.RetentionInDays).toBeGreaterThanOrEqual(model.environments[env].audit!.retentionDays);
    }
  });

  it('the access-log bucket has ACLs disabled (bucket owner enforced)', () => {
    const logs = Object.entries(resourcesOf(template, 'AWS::S3::Bucket')).find(([id]) =>
      id.startsWith('AccessLogsBucket'),
    )![1];
    expect(logs.Properties!.OwnershipControls).toEqual({
      Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
    });
    expect(logs.Properties!.AccessControl).toBeUndefined();
  });
});
