import { Match } from 'aws-cdk-lib/assertions';
import { deriveGlueDatabases } from '@lakewall/platform-model';
import { buildAll, CLOUD_ENVIRONMENTS, logicalId, resourcesOf } from './fixtures';

describe.each(CLOUD_ENVIRONMENTS)('audit, catalog and database in %s', (env) => {
  const { model, stages, templates } = buildAll();
  const stack = stages.get(env)!.infra;
  const template = templates.get(env)!;
  const dbModel = model.environments[env].database!;

  describe('CloudTrail', () => {
    const trail = Object.values(resourcesOf(template, 'AWS::CloudTrail::Trail'))[0]!.Properties!;
    const selectors = JSON.stringify(trail.AdvancedEventSelectors);

    it('validates log files, encrypts with its own key, uses advanced selectors only', () => {
      expect(trail).toMatchObject({
        EnableLogFileValidation: true,
        IsLogging: true,
        KMSKeyId: { 'Fn::GetAtt': [logicalId(stack.audit.key), 'Arn'] },
      });
      expect(trail.EventSelectors).toBeUndefined();
      // The trail bucket is encrypted with the audit key, and no zone key policy admits the audit readers
      // nor the audit key policy any zone reader: the trail and the lake are separate allow-lists.
      const keys = resourcesOf(template, 'AWS::KMS::Key');
      const trailBucket = resourcesOf(template, 'AWS::S3::Bucket')[logicalId(stack.audit.logBucket.bucket)]!;
      expect(JSON.stringify(trailBucket.Properties!.BucketEncryption)).toContain(
        `"KMSMasterKeyID":{"Fn::GetAtt":["${logicalId(stack.audit.key)}","Arn"]}`,
      );
      const auditPolicy = JSON.stringify(keys[logicalId(stack.audit.key)]!.Properties!.KeyPolicy);
      for (const zone of stack.zones.values()) {
        for (const role of zone.clearedRoles) expect(auditPolicy).not.toContain(logicalId(role));
        const zonePolicy = JSON.stringify(keys[logicalId(zone.key)]!.Properties!.KeyPolicy);
        for (const reader of stack.auditReaders) expect(zonePolicy).not.toContain(logicalId(reader));
      }
    });
    it('records S3 data events on every lake bucket by ARN prefix', () => {
      expect(selectors).toContain('"Field":"resources.type","Equals":["AWS::S3::Object"]');
      for (const zone of stack.zones.values()) {
        for (const bucket of [...zone.buckets, zone.queryResults.bucket]) {
          expect(selectors).toContain(
            `{"Fn::Join":["",[{"Fn::GetAtt":["${logicalId(bucket)}","Arn"]},"/"]]}`,
          );
        }
      }
    });
    it("never records the trail's own bucket", () => {
      expect(selectors).not.toContain(logicalId(stack.audit.logBucket.bucket));
    });
  });

  describe('Glue catalog', () => {
    it('has the six databases of the model', () => {
      const names = Object.values(resourcesOf(template, 'AWS::Glue::Database')).map(
        (d) => (d.Properties!.DatabaseInput as { Name: string }).Name,
      );
      expect(names.sort()).toEqual(
        deriveGlueDatabases(model)
          .map((d) => d.name)
          .sort(),
      );
      expect(names).toHaveLength(6);
    });
  });

  describe('source PostgreSQL', () => {
    it(`is encrypted, private, IAM-auth, logs exported, Multi-AZ=${dbModel.multiAz} as the model says`, () => {
      template.hasResourceProperties('AWS::RDS::DBInstance', {
        Engine: 'postgres',
        EngineVersion: model.source.engineVersion,
        DBInstanceClass: `db.${dbModel.instanceClass}`,
        AllocatedStorage: String(dbModel.allocatedStorageGiB),
        MultiAZ: dbModel.multiAz,
        StorageEncrypted: true,
        KmsKeyId: { 'Fn::GetAtt': [logicalId(stack.database.key), 'Arn'] },
        PubliclyAccessible: false,
        EnableIAMDatabaseAuthentication: true,
        EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
        DeletionProtection: model.environments[env].deletionProtection,
        BackupRetentionPeriod: dbModel.backupRetentionDays,
        DBName: model.source.database,
      });
    });
    it('has logical replication on and a bounded slot WAL size', () => {
      template.hasResourceProperties('AWS::RDS::DBParameterGroup', {
        Parameters: Match.objectLike({
          'rds.logical_replication': '1',
          max_slot_wal_keep_size: String(stack.database.maxSlotWalKeepSizeMb),
          'rds.force_ssl': '1',
        }),
      });
      expect(stack.database.maxSlotWalKeepSizeMb).toBeGreaterThan(0);
      expect(stack.database.maxSlotWalKeepSizeMb).toBeLessThan(dbModel.allocatedStorageGiB * 1024);
    });
    it('lets RDS keep and rotate the admin password, encrypted with the database key, no password in the template', () => {
      template.hasResourceProperties('AWS::RDS::DBInstance', {
        ManageMasterUserPassword: true,
        MasterUserSecret: { KmsKeyId: { 'Fn::GetAtt': [logicalId(stack.database.key), 'Arn'] } },
        MasterUserPassword: Match.absent(),
      });
      // No rotation function: nothing outside the key's allow-list needs the secret.
      template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
      // The only secrets are the Kafka principals' SCRAM credentials (AmazonMSK_*), none for the database.
      const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret'));
      expect(
        secrets.map((r) => String(r.Properties?.Name)).filter((n) => !n.startsWith('AmazonMSK_')),
      ).toEqual([]);
    });
    it('is in an AWS Backup plan with an encrypted vault', () => {
      template.hasResourceProperties('AWS::Backup::BackupVault', { EncryptionKeyArn: Match.anyValue() });
      template.hasResourceProperties('AWS::Backup::BackupSelection', {
        BackupSelection: Match.objectLike({
          Resources: Match.arrayWith([Match.objectLike({ 'Fn::Join': Match.anyValue() })]),
        }),
      });
    });
    it.each(['OldestReplicationSlotLag', 'TransactionLogsDiskUsage'])(
      'alarms on %s to the alarm topic',
      (metric) => {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: metric,
          Namespace: 'AWS/RDS',
          Threshold: (stack.database.maxSlotWalKeepSizeMb * 1024 * 1024) / 2,
          AlarmActions: [Match.objectLike({ Ref: Match.anyValue() })],
        });
      },
    );
  });
});

describe('database log groups', () => {
  const { model, stages, templates } = buildAll();
  it.each(CLOUD_ENVIRONMENTS)(
    '%s: exports go to KMS-encrypted log groups kept for the audit retention',
    (env) => {
      const template = templates.get(env)!;
      const stack = stages.get(env)!.infra;
      for (const name of ['postgresql', 'upgrade']) {
        const group = Object.values(resourcesOf(template, 'AWS::Logs::LogGroup')).find((g) =>
          String(g.Properties!.LogGroupName).endsWith(`/${name}`),
        )!;
        expect(group.Properties!.LogGroupName).toBe(
          `/aws/rds/instance/${model.project}-${env}-source/${name}`,
        );
        expect(group.Properties!.KmsKeyId).toEqual({ 'Fn::GetAtt': [logicalId(stack.database.key), 'Arn'] });
        expect(group.Properties!.RetentionInDays).toBeGreaterThanOrEqual(
          model.environments[env].audit!.retentionDays,
        );
      }
    },
  );
});
