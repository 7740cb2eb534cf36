import { KEY_USE_ACTIONS, NO_STATEMENT_TEXT_LOGGING } from '@lakewall/infra-constructs';
import { buildAll, CLOUD_ENVIRONMENTS, logicalId, resourcesOf } from './fixtures';

type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Principal?: unknown;
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const getAttIds = (list: unknown) =>
  (list as ({ 'Fn::GetAtt'?: [string] } | string)[]).map((a) =>
    typeof a === 'string' ? a : a['Fn::GetAtt']![0],
  );

/** No side door to MNPI: the database's key, backups and logs, and the audit trail. */
describe.each(CLOUD_ENVIRONMENTS)('side doors in %s', (env) => {
  const { model, stages, templates } = buildAll();
  const stack = stages.get(env)!.infra;
  const template = templates.get(env)!;
  const facts = model.environments[env];
  const keys = resourcesOf(template, 'AWS::KMS::Key');
  const keyStatements = (id: string) =>
    (keys[id]!.Properties!.KeyPolicy as { Statement: Statement[] }).Statement;
  const deployRole = `arn:aws:iam::${facts.account}:role/cdk-hnb659fds-cfn-exec-role-${facts.account}-${facts.region}`;

  describe('source database', () => {
    const dbKey = logicalId(stack.database.key);

    it('its key is used only by the deployment, backup and source setup roles (no human, no sink, no key admin)', () => {
      const deny = keyStatements(dbKey).find((s) => s.Sid === 'DenyUseOutsideDatabaseAllowList')!;
      expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
      expect([...actionsOf(deny)].sort()).toEqual([...KEY_USE_ACTIONS].sort());
      expect(deny.Condition!.BoolIfExists).toEqual({ 'aws:PrincipalIsAWSService': 'false' });
      const admitted = deny.Condition!.ArnNotEquals!['aws:PrincipalArn'] as unknown[];
      const backupRole = resourcesOf(template, 'AWS::Backup::BackupSelection');
      const backupRoleId = JSON.stringify(Object.values(backupRole)[0]!.Properties).match(
        /"IamRoleArn":\{"Fn::GetAtt":\["([^"]+)"/,
      )![1]!;
      // The deploy-time source setup (data-plane stack) reads the admin secret; named, not referenced.
      const sourceSetupRole = `arn:aws:iam::${facts.account}:role/${model.project}-${env}-source-setup-task`;
      expect(admitted).toEqual([deployRole, { 'Fn::GetAtt': [backupRoleId, 'Arn'] }, sourceSetupRole]);
      for (const q of stack.queryAccess) expect(JSON.stringify(admitted)).not.toContain(logicalId(q.role));
      expect(JSON.stringify(admitted)).not.toContain(logicalId(stack.keyAdministrator));
    });

    it('refuses to hand its credentials to a principal not cleared for it', () => {
      const analysts = stack.queryAccess.find((q) => q.workgroup.name.endsWith('data-analysts'))!;
      expect(() => stack.database.grantSecretRead('data-analysts', analysts.role)).toThrow(
        /'data-analysts' is not cleared for the source database/,
      );
    });

    it('Performance Insights, exported logs and the admin secret use the database key', () => {
      const instance = Object.values(resourcesOf(template, 'AWS::RDS::DBInstance'))[0]!.Properties!;
      if (instance.EnablePerformanceInsights)
        expect(instance.PerformanceInsightsKMSKeyId).toEqual({ 'Fn::GetAtt': [dbKey, 'Arn'] });
      expect(instance.MasterUserSecret).toEqual({ KmsKeyId: { 'Fn::GetAtt': [dbKey, 'Arn'] } });
    });

    it('PostgreSQL logs carry no statement text nor bind values', () => {
      const params = Object.values(resourcesOf(template, 'AWS::RDS::DBParameterGroup'))[0]!.Properties!
        .Parameters as Record<string, string>;
      expect(params).toMatchObject({
        log_statement: 'none',
        log_min_duration_statement: '-1',
        log_min_error_statement: 'panic',
        log_error_verbosity: 'terse',
        log_parameter_max_length: '0',
        log_parameter_max_length_on_error: '0',
      });
      expect(params).toMatchObject(NO_STATEMENT_TEXT_LOGGING);
      expect(params).not.toHaveProperty('shared_preload_libraries');
    });

    it(`backup vault: no early deletion, no copy out, Vault Lock ${facts.immutableRecords ? 'on' : 'off'} as the model says`, () => {
      const vault = Object.values(resourcesOf(template, 'AWS::Backup::BackupVault'))[0]!.Properties!;
      const statements = (vault.AccessPolicy as { Statement: Statement[] }).Statement;
      const denied = statements.filter((s) => s.Effect === 'Deny').flatMap(actionsOf);
      expect(denied).toEqual(
        expect.arrayContaining([
          'backup:DeleteRecoveryPoint',
          'backup:UpdateRecoveryPointLifecycle',
          'backup:CopyFromBackupVault',
        ]),
      );
      expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([]);
      if (facts.immutableRecords)
        expect(vault.LockConfiguration).toEqual({
          MinRetentionDays: facts.database!.backupRetentionDays,
          ChangeableForDays: 3,
        });
      else expect(vault.LockConfiguration).toBeUndefined();
    });
  });

  describe('audit trail', () => {
    const auditKey = logicalId(stack.audit.key);
    const trailBucket = logicalId(stack.audit.logBucket.bucket);
    const trailName = `${model.project}-${env}-infra-audit`;
    const trailArn = `arn:aws:cloudtrail:${facts.region}:${facts.account}:trail/${trailName}`;
    const readers = stack.auditReaders.map((r) => logicalId(r)).sort();
    const bucketStatements = () =>
      Object.values(resourcesOf(template, 'AWS::S3::BucketPolicy'))
        .filter((p) => JSON.stringify(p.Properties!.Bucket) === JSON.stringify({ Ref: trailBucket }))
        .flatMap((p) => (p.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);

    it('has audit readers from the model, and only they may read the trail objects', () => {
      expect(readers.length).toBe(Object.values(model.principals).filter((p) => p.readsAuditTrail).length);
      const deny = bucketStatements().find((s) => s.Sid === 'DenyReadByOthersThanAuditReaders')!;
      expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
      expect(actionsOf(deny)).toContain('s3:GetObject');
      expect(getAttIds(deny.Condition!.ArnNotEquals!['aws:PrincipalArn']).sort()).toEqual(readers);
    });

    it('only the audit readers may decrypt with the audit key; CloudTrail only for this trail', () => {
      const statements = keyStatements(auditKey);
      const deny = statements.find((s) => s.Sid === 'DenyUseByOthersThanAuditReaders')!;
      expect(getAttIds(deny.Condition!.ArnNotEquals!['aws:PrincipalArn']).sort()).toEqual(readers);
      const cloudtrail = statements.filter((s) => JSON.stringify(s.Principal).includes('cloudtrail'));
      expect(cloudtrail.length).toBeGreaterThan(0);
      for (const s of cloudtrail)
        expect(s.Condition!.StringEquals).toMatchObject({
          'aws:SourceArn': trailArn,
          'aws:SourceAccount': facts.account,
        });
      // No query role is a reader.
      for (const q of stack.queryAccess) expect(readers).not.toContain(logicalId(q.role));
    });

    it('the trail bucket refuses CloudTrail writes for another trail or account', () => {
      const trail = Object.values(resourcesOf(template, 'AWS::CloudTrail::Trail'))[0]!.Properties!;
      expect(trail.TrailName).toBe(trailName);
      const bySid = (sid: string) => bucketStatements().find((s) => s.Sid === sid)!;
      expect(bySid('DenyCloudTrailForOtherTrails')).toMatchObject({
        Effect: 'Deny',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Condition: { ArnNotEquals: { 'aws:SourceArn': trailArn } },
      });
      expect(bySid('DenyCloudTrailForOtherAccounts')).toMatchObject({
        Effect: 'Deny',
        Condition: { StringNotEquals: { 'aws:SourceAccount': facts.account } },
      });
      for (const sid of ['DenyCloudTrailForOtherTrails', 'DenyCloudTrailForOtherAccounts'])
        expect(actionsOf(bySid(sid)).sort()).toEqual(['s3:GetBucketAcl', 's3:PutObject']);
    });

    it(`Object Lock on the trail bucket ${facts.immutableRecords ? 'in compliance mode for the audit retention' : 'off'} as the model says`, () => {
      const bucket = resourcesOf(template, 'AWS::S3::Bucket')[trailBucket]!.Properties!;
      if (facts.immutableRecords) {
        expect(bucket.ObjectLockEnabled).toBe(true);
        expect(bucket.ObjectLockConfiguration).toEqual({
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: facts.audit!.retentionDays } },
        });
      } else expect(bucket.ObjectLockEnabled).toBeUndefined();
    });
  });

  describe('Glue Data Catalog', () => {
    it('encrypts metadata and connection passwords with its own key, used only by catalog readers and committers', () => {
      const catalogKey = logicalId(stack.catalog.key);
      const settings = Object.values(resourcesOf(template, 'AWS::Glue::DataCatalogEncryptionSettings'));
      expect(settings).toHaveLength(1);
      expect(settings[0]!.Properties!.DataCatalogEncryptionSettings).toEqual({
        EncryptionAtRest: {
          CatalogEncryptionMode: 'SSE-KMS',
          SseAwsKmsKeyId: { 'Fn::GetAtt': [catalogKey, 'Arn'] },
        },
        ConnectionPasswordEncryption: {
          ReturnConnectionPasswordEncrypted: true,
          KmsKeyId: { 'Fn::GetAtt': [catalogKey, 'Arn'] },
        },
      });
      const deny = keyStatements(catalogKey).find((s) => s.Sid === 'DenyUseByOthersThanCatalogReaders')!;
      const admitted = deny.Condition!.ArnNotEquals!['aws:PrincipalArn'] as unknown[];
      expect(admitted[0]).toBe(deployRole);
      // Readers (the query roles), and the Iceberg committers: each zone's sink and table maintenance.
      expect(getAttIds(admitted.slice(1)).sort()).toEqual(
        [
          ...stack.queryAccess.map((q) => q.role),
          ...[...stack.sinkRoles.values()].map((s) => s.role),
          ...[...stack.tableMaintenance.values()].map((m) => m.role),
        ]
          .map((r) => logicalId(r))
          .sort(),
      );
      for (const db of Object.values(resourcesOf(template, 'AWS::Glue::Database')))
        expect((db as { DependsOn?: string[] }).DependsOn).toEqual(
          expect.arrayContaining([logicalId(stack.catalog.node.findChild('Encryption'))]),
        );
    });
  });

  describe('alarms', () => {
    it('every alarm action is a topic CloudWatch of this account may publish to, with a key it may use', () => {
      const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'));
      expect(alarms.length).toBeGreaterThan(0);
      const topicPolicies = Object.values(resourcesOf(template, 'AWS::SNS::TopicPolicy'));
      const topics = resourcesOf(template, 'AWS::SNS::Topic');
      for (const alarm of alarms) {
        const targets = [
          ...((alarm.Properties!.AlarmActions as { Ref: string }[]) ?? []),
          ...((alarm.Properties!.OKActions as { Ref: string }[]) ?? []),
        ];
        expect(targets.length).toBeGreaterThan(0);
        for (const { Ref: topicId } of targets) {
          const statements = topicPolicies
            .filter((p) => JSON.stringify(p.Properties!.Topics).includes(`"${topicId}"`))
            .flatMap((p) => (p.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
          const publish = statements.find(
            (s) =>
              s.Effect === 'Allow' &&
              JSON.stringify(s.Principal) === '{"Service":"cloudwatch.amazonaws.com"}' &&
              actionsOf(s).includes('sns:Publish'),
          );
          expect([topicId, publish?.Condition?.StringEquals]).toEqual([
            topicId,
            { 'aws:SourceAccount': facts.account },
          ]);
          const keyId = (topics[topicId]!.Properties!.KmsMasterKeyId as { 'Fn::GetAtt': [string] })[
            'Fn::GetAtt'
          ][0];
          const keyAllows = keyStatements(keyId).filter(
            (s) => s.Effect === 'Allow' && JSON.stringify(s.Principal).includes('cloudwatch.amazonaws.com'),
          );
          expect(keyAllows.flatMap(actionsOf)).toEqual(
            expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']),
          );
        }
      }
    });
  });
});
