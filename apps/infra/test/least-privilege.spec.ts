import { buildAll, CLOUD_ENVIRONMENTS, logicalId, policiesOfRole, resourcesOf } from './fixtures';

type Statement = { Effect: string; Action: string | string[]; Resource?: unknown; Condition?: unknown };
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

  it('sink roles trust only ECS tasks of this account (aws:SourceAccount, aws:SourceArn)', () => {
    const facts = model.environments[env];
    for (const sink of stack.sinkRoles.values()) {
      const role = resourcesOf(template, 'AWS::IAM::Role')[logicalId(sink.role)]!;
      const statements = (role.Properties!.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
      expect(statements).toHaveLength(1);
      expect(statements[0]!.Condition).toEqual({
        StringEquals: { 'aws:SourceAccount': facts.account },
        ArnLike: { 'aws:SourceArn': `arn:aws:ecs:${facts.region}:${facts.account}:*` },
      });
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
