import { Match } from 'aws-cdk-lib/assertions';
import { deriveAthenaAccess, clearedFor, ZONES } from '@lakewall/platform-model';
import { buildAll, CLOUD_ENVIRONMENTS, logicalId, policiesOfRole } from './fixtures';

/**
 * The MNPI promise, checked on the synthesized templates: who can read what, which keys they can
 * use, and that MFA is enforced where the model asks for it.
 */
describe.each(CLOUD_ENVIRONMENTS)('access control in %s', (env) => {
  const { model, stages, templates } = buildAll();
  const stack = stages.get(env)!.infra;
  const template = templates.get(env)!;
  const access = deriveAthenaAccess(model, env);
  const roleOf = (principal: string) =>
    stack.queryAccess.find(
      (q) => q.workgroup.name === access.find((a) => a.principal === principal)!.workgroup,
    )!.role;
  const uncleared = access.filter((a) => !clearedFor(model, env, 'mnpi').includes(a.principal));
  const mnpi = stack.zones.get('mnpi')!;

  it('has a public-only query role to test against (model sanity)', () => {
    expect(uncleared.map((a) => a.principal)).toContain('data-analysts');
  });

  it.each(uncleared.map((a) => a.principal))(
    '%s cannot use the MNPI key nor any MNPI bucket',
    (principal) => {
      const docs = JSON.stringify(policiesOfRole(template, logicalId(roleOf(principal))));
      expect(docs).not.toContain(logicalId(mnpi.key));
      for (const bucket of [...mnpi.buckets, mnpi.queryResults.bucket])
        expect(docs).not.toContain(logicalId(bucket));
      expect(docs).not.toMatch(/_mnpi/); // no MNPI Glue database or table
    },
  );

  it('the MNPI key policy admits only roles of principals cleared for MNPI', () => {
    const key = template.toJSON().Resources[logicalId(mnpi.key)];
    const deny = key.Properties.KeyPolicy.Statement.find(
      (s: { Sid?: string }) => s.Sid === 'DenyUseByRolesNotClearedForZone',
    );
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
    expect(deny.Action).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:Encrypt', 'kms:ReEncrypt*']));
    // Data keys are denied by their own statement, to the same roles and the table-creating deployment role.
    const dataKeys = key.Properties.KeyPolicy.Statement.find(
      (s: { Sid?: string }) => s.Sid === 'DenyDataKeysToRolesNotClearedOrCreatingTables',
    );
    expect(dataKeys).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:GenerateDataKey*',
    });
    expect(dataKeys.Condition.ArnNotEquals['aws:PrincipalArn'].slice(0, -1)).toEqual(
      deny.Condition.ArnNotEquals['aws:PrincipalArn'],
    );
    const admitted = JSON.stringify(deny.Condition.ArnNotEquals['aws:PrincipalArn']);
    for (const a of access) {
      const id = logicalId(roleOf(a.principal));
      if (a.zones.includes('mnpi')) expect(admitted).toContain(id);
      else expect(admitted).not.toContain(id);
    }
    expect(admitted).toContain(logicalId(stack.sinkRoles.get('sink-mnpi/raw')!.role));
    expect(admitted).not.toContain(logicalId(stack.sinkRoles.get('sink-public/raw')!.role));
  });

  it.each(access.map((a) => [a.principal, a] as const))(
    '%s reads exactly its model buckets and Glue databases',
    (_p, a) => {
      const docs = JSON.stringify(policiesOfRole(template, logicalId(roleOf(a.principal))));
      for (const zone of ZONES) {
        for (const layer of model.layers) {
          const bucketId = logicalId(stack.zones.get(zone)!.bucket(layer));
          const granted = a.buckets.some((b) => b.zone === zone && b.layer === layer);
          expect([zone, layer, docs.includes(bucketId)]).toEqual([zone, layer, granted]);
        }
      }
      for (const db of stack.catalog.databaseNames) {
        expect([db, docs.includes(`database/${db}`)]).toEqual([db, a.glueDatabases.includes(db)]);
      }
    },
  );

  it.each(access.map((a) => [a.principal, a] as const))(
    '%s: MFA enforced exactly when the model says so, on every path to the role',
    (_p, a) => {
      const roleId = logicalId(roleOf(a.principal));
      const role = template.toJSON().Resources[roleId];
      const docs = JSON.stringify(policiesOfRole(template, roleId));
      const mfaDeny = docs.includes('"Sid":"DenyAllWithoutMfa"');
      const trust = role.Properties.AssumeRolePolicyDocument.Statement as { Condition: object }[];
      const everyPathNeedsMfa = trust.every((s) =>
        /"aws:MultiFactorAuthPresent":"true"|"aws:PrincipalTag\/[^"]+":"true"/.test(
          JSON.stringify(s.Condition),
        ),
      );
      expect({ mfaDeny, everyPathNeedsMfa }).toEqual({ mfaDeny: a.mfa, everyPathNeedsMfa: a.mfa });
    },
  );

  it('every MNPI-reading role enforces MFA (the model requires it today)', () => {
    for (const a of access.filter((x) => x.zones.includes('mnpi')))
      expect([a.principal, a.mfa]).toEqual([a.principal, true]);
  });

  it('each query role may run queries only in its own workgroup', () => {
    for (const a of access) {
      const docs = JSON.stringify(policiesOfRole(template, logicalId(roleOf(a.principal))));
      expect(docs).toContain(`workgroup/${a.workgroup}`);
      for (const other of access.filter((o) => o.workgroup !== a.workgroup))
        expect(docs).not.toContain(`workgroup/${other.workgroup}"`);
    }
  });

  it('human roles are never assumable by a service, nor by the account root without naming who', () => {
    for (const a of access) {
      const role = template.toJSON().Resources[logicalId(roleOf(a.principal))];
      for (const s of role.Properties.AssumeRolePolicyDocument.Statement) {
        expect(JSON.stringify(s.Principal)).not.toMatch(/Service|Federated/);
        if (JSON.stringify(s.Principal).includes(':root'))
          expect(s.Condition.ArnLike['aws:PrincipalArn'].length).toBeGreaterThan(0);
      }
    }
  });

  it('Athena workgroups enforce SSE-KMS results, one per human role', () => {
    template.resourceCountIs('AWS::Athena::WorkGroup', access.length);
    for (const a of access) {
      template.hasResourceProperties('AWS::Athena::WorkGroup', {
        Name: a.workgroup,
        WorkGroupConfiguration: Match.objectLike({
          EnforceWorkGroupConfiguration: true,
          ResultConfiguration: Match.objectLike({
            EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: Match.anyValue() },
          }),
        }),
      });
    }
  });

  it('MNPI query results are encrypted with the MNPI key and land in the MNPI results bucket', () => {
    for (const a of access.filter((x) => x.zones.includes('mnpi'))) {
      template.hasResourceProperties('AWS::Athena::WorkGroup', {
        Name: a.workgroup,
        WorkGroupConfiguration: Match.objectLike({
          ResultConfiguration: Match.objectLike({
            EncryptionConfiguration: {
              EncryptionOption: 'SSE_KMS',
              KmsKey: { 'Fn::GetAtt': [logicalId(mnpi.key), 'Arn'] },
            },
            OutputLocation: {
              'Fn::Join': ['', ['s3://', { Ref: logicalId(mnpi.queryResults.bucket) }, `/${a.workgroup}/`]],
            },
          }),
        }),
      });
    }
  });
});
