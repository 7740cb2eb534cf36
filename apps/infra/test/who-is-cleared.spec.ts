import { KEY_ADMIN_ACTIONS, KEY_USE_ACTIONS } from '@lakewall/infra-constructs';
import { deriveHumanAccess, keyAdministrator } from '@lakewall/platform-model';
import { buildAll, CLOUD_ENVIRONMENTS, logicalId, policiesOfRole, resourcesOf } from './fixtures';

type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Principal?: { AWS?: unknown; Service?: unknown };
  Condition?: Record<string, Record<string, unknown>>;
};
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/**
 * Who is cleared is decided by the model: each human role admits exactly the permission sets and IAM
 * users the model lists for the environment, every session names its person, MFA is proven on both
 * paths, and only the model's key administrator can change or delete a key.
 */
describe.each(CLOUD_ENVIRONMENTS)('who is cleared in %s', (env) => {
  const { model, stages, templates } = buildAll();
  const stack = stages.get(env)!.infra;
  const template = templates.get(env)!;
  const people = deriveHumanAccess(model, env);
  const roles = resourcesOf(template, 'AWS::IAM::Role');
  const roleIdNamed = (name: string) =>
    Object.keys(roles).find((id) => roles[id]!.Properties!.RoleName === name)!;
  const trustOf = (name: string) =>
    (roles[roleIdNamed(name)]!.Properties!.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;

  it('creates one named role per human principal of the model, and no other role trusts a person', () => {
    for (const r of people.roles)
      expect([r.roleName, roleIdNamed(r.roleName)]).toEqual([r.roleName, expect.any(String)]);
    const named = new Set(people.roles.map((r) => roleIdNamed(r.roleName)));
    for (const [id, role] of Object.entries(roles)) {
      if (named.has(id)) continue;
      // Every other role is a service role: no AWS account, user or role principal in its trust.
      expect([id, JSON.stringify(role.Properties!.AssumeRolePolicyDocument)]).not.toEqual([
        id,
        expect.stringMatching(/"AWS"/),
      ]);
    }
  });

  it.each(people.roles.map((r) => [r.principal, r] as const))(
    '%s admits exactly the permission sets and IAM users the model lists',
    (_p, r) => {
      const trust = trustOf(r.roleName);
      const federated = trust.filter((s) => JSON.stringify(s.Principal).includes(':root'));
      const users = trust.filter((s) => !JSON.stringify(s.Principal).includes(':root'));
      expect(federated.flatMap((s) => s.Condition!.ArnLike!['aws:PrincipalArn'] as string[]).sort()).toEqual(
        [...r.assumedBy.permissionSetRoleArns].sort(),
      );
      expect(users.flatMap((s) => [s.Principal!.AWS].flat()).sort()).toEqual(
        [...r.assumedBy.iamUsers].sort(),
      );
      // Negative: no other human role's permission sets open this one.
      for (const other of people.roles.filter((o) => o.principal !== r.principal)) {
        for (const arn of other.assumedBy.permissionSetRoleArns)
          expect(JSON.stringify(trust)).not.toContain(arn);
      }
      for (const s of trust) {
        expect(s.Effect).toBe('Allow');
        expect(actionsOf(s)).toEqual(expect.arrayContaining(['sts:AssumeRole', 'sts:SetSourceIdentity']));
      }
    },
  );

  it.each(people.roles.map((r) => [r.principal, r] as const))(
    '%s: every session names its person (sts:SourceIdentity) on every path',
    (_p, r) => {
      for (const s of trustOf(r.roleName)) {
        const fromIdp = JSON.stringify(s.Principal).includes(':root');
        expect(s.Condition!.StringEquals!['sts:SourceIdentity']).toBe(
          fromIdp ? `\${aws:PrincipalTag/${people.identityTag}}` : '${aws:username}',
        );
      }
      const guard = JSON.stringify(policiesOfRole(template, roleIdNamed(r.roleName)));
      expect(guard).toContain('{"Null":{"aws:SourceIdentity":"true"}}');
    },
  );

  it.each(people.roles.filter((r) => r.mfa).map((r) => [r.principal, r] as const))(
    '%s: MFA proven on both paths, IAM-user MFA no older than the model allows',
    (_p, r) => {
      for (const s of trustOf(r.roleName)) {
        if (JSON.stringify(s.Principal).includes(':root')) {
          expect(s.Condition!.StringEquals).toMatchObject({
            [`aws:PrincipalTag/${people.mfaTag}`]: 'true',
            [`aws:RequestTag/${people.mfaTag}`]: 'true',
          });
          // Only the MFA tag may be set on the session: a caller cannot smuggle other tags in.
          expect(s.Condition!['ForAllValues:StringEquals']).toEqual({ 'aws:TagKeys': [people.mfaTag] });
        } else {
          expect(s.Condition!.Bool).toEqual({ 'aws:MultiFactorAuthPresent': 'true' });
          expect(s.Condition!.NumericLessThanEquals).toEqual({
            'aws:MultiFactorAuthAge': String(people.mfaMaxAgeSeconds),
          });
          expect(actionsOf(s)).not.toContain('sts:TagSession');
        }
      }
      const guard = policiesOfRole(template, roleIdNamed(r.roleName)) as {
        Properties: { PolicyDocument: { Statement: Statement[] } };
      }[];
      const statements = guard.flatMap((g) => g.Properties.PolicyDocument.Statement);
      expect(statements.find((s) => s.Sid === 'DenyAllWithoutMfa')).toMatchObject({
        Effect: 'Deny',
        Action: '*',
        Condition: {
          BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' },
          StringNotEquals: { [`aws:PrincipalTag/${people.mfaTag}`]: 'true' },
        },
      });
      expect(statements.find((s) => s.Sid === 'DenyAllWithStaleMfa')).toMatchObject({
        Effect: 'Deny',
        Condition: { NumericGreaterThan: { 'aws:MultiFactorAuthAge': String(people.mfaMaxAgeSeconds) } },
      });
    },
  );

  it('the model-named role tag for MFA is never set on a role itself (it would fake the evidence)', () => {
    for (const role of Object.values(roles))
      expect(JSON.stringify(role.Properties!.Tags ?? [])).not.toContain(`"${people.mfaTag}"`);
  });

  describe('key administration', () => {
    const admin = keyAdministrator(people);
    const adminId = roleIdNamed(admin.roleName);
    const keys = resourcesOf(template, 'AWS::KMS::Key');
    const statementsOf = (id: string) =>
      (keys[id]!.Properties!.KeyPolicy as { Statement: Statement[] }).Statement;

    it('the key administrator is the model-named role and holds no data permission', () => {
      expect(stack.keyAdministrator.node.path).toContain('KeyAdministrator');
      expect(logicalId(stack.keyAdministrator)).toBe(adminId);
      const docs = JSON.stringify(policiesOfRole(template, adminId));
      expect(docs).not.toMatch(/"Effect":"Allow"/);
    });

    it.each(Object.keys(resourcesOf(templates.get(env)!, 'AWS::KMS::Key')))(
      'key %s: only the administrator and the deployment role may change its policy or delete it',
      (id) => {
        const statements = statementsOf(id);
        const deny = statements.find((s) => s.Sid === 'DenyKeyAdministrationToOthers')!;
        expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
        expect(actionsOf(deny)).toEqual(
          expect.arrayContaining(['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion']),
        );
        expect([...actionsOf(deny)].sort()).toEqual([...KEY_ADMIN_ACTIONS].sort());
        expect(deny.Condition).toEqual({
          ArnNotEquals: {
            'aws:PrincipalArn': [
              { 'Fn::GetAtt': [adminId, 'Arn'] },
              `arn:aws:iam::${model.environments[env].account}:role/cdk-hnb659fds-cfn-exec-role-${model.environments[env].account}-${model.environments[env].region}`,
            ],
          },
        });
        const allow = statements.find((s) => s.Sid === 'AllowKeyAdministratorToAdministerOnly')!;
        expect(allow.Principal).toEqual({ AWS: { 'Fn::GetAtt': [adminId, 'Arn'] } });
        // Administration, never use.
        for (const use of [...KEY_USE_ACTIONS, 'kms:*'])
          expect([id, actionsOf(allow)]).not.toEqual([id, expect.arrayContaining([use])]);
        // No other statement names the administrator.
        const others = statements.filter((s) => s !== allow && s !== deny);
        for (const s of others.filter((s) => s.Effect === 'Allow'))
          expect(JSON.stringify(s.Principal)).not.toContain(adminId);
      },
    );

    it('the administrator is in no key use allow-list', () => {
      for (const id of Object.keys(keys)) {
        for (const s of statementsOf(id).filter((s) => s.Sid !== 'DenyKeyAdministrationToOthers')) {
          if (s.Effect === 'Deny')
            expect([id, JSON.stringify(s.Condition)]).not.toEqual([id, expect.stringContaining(adminId)]);
        }
      }
    });
  });
});
