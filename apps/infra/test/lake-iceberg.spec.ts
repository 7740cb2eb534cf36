import {
  deriveIcebergTables,
  deriveLakeMaintenance,
  glueDatabaseName,
  icebergTableLocation,
  lakeBucketName,
  type ZoneName,
} from '@lakewall/platform-model';
import { buildAll, CLOUD_ENVIRONMENTS, logicalId, policiesOfRole, resourcesOf } from './fixtures';

type Statement = {
  Sid?: string;
  Effect: string;
  Action?: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};
type IcebergTableProps = {
  DatabaseName: string;
  Name: string;
  TableInput?: unknown;
  OpenTableFormatInput: {
    IcebergInput: {
      MetadataOperation: string;
      IcebergTableInput: {
        Location: string;
        Schema: { Fields: { Id: number; Name: string; Type: string; Required: boolean }[] };
        PartitionSpec: { Fields: { SourceId: number; Transform: string; Name: string; FieldId: number }[] };
      };
    };
  };
};

describe.each(CLOUD_ENVIRONMENTS)('the lake as Iceberg in %s', (env) => {
  const { model, stages, templates } = buildAll();
  const stack = stages.get(env)!.infra;
  const template = templates.get(env)!;
  const specs = deriveIcebergTables(model);
  const glueTables = Object.values(resourcesOf(template, 'AWS::Glue::Table')).map(
    (t) => t.Properties as unknown as IcebergTableProps,
  );
  const optimizers = Object.values(resourcesOf(template, 'AWS::Glue::TableOptimizer')).map(
    (o) =>
      o.Properties as {
        DatabaseName: string;
        TableName: string;
        Type: string;
        TableOptimizerConfiguration: Record<string, unknown> & { RoleArn: unknown; Enabled: boolean };
      },
  );
  const rolePolicies = (roleId: string) => JSON.stringify(policiesOfRole(template, roleId));
  const statementsOfRole = (roleId: string): Statement[] =>
    (
      policiesOfRole(template, roleId) as { Properties: { PolicyDocument: { Statement: Statement[] } } }[]
    ).flatMap((p) => p.Properties.PolicyDocument.Statement);
  const zoneIds = (zone: ZoneName) => {
    const z = stack.zones.get(zone)!;
    return [logicalId(z.key), ...z.buckets.map((b) => logicalId(b)), logicalId(z.queryResults.bucket)];
  };
  const rawDb = (zone: ZoneName) => glueDatabaseName(model, zone, 'raw');

  describe('raw tables', () => {
    it('declares exactly the Iceberg tables of the model, every one of them Iceberg, no other table', () => {
      expect(glueTables.map((t) => `${t.DatabaseName}.${t.Name}`).sort()).toEqual(
        specs.map((s) => `${s.namespace}.${s.name}`).sort(),
      );
      for (const t of glueTables) {
        expect(t.TableInput).toBeUndefined();
        expect(t.OpenTableFormatInput.IcebergInput.MetadataOperation).toBe('CREATE');
      }
      // Nothing of the old JSON layout survives: no projection, no JSON SerDe, no crawler.
      const all = JSON.stringify(template.toJSON());
      expect(all).not.toContain('projection.enabled');
      expect(all).not.toContain('JsonSerDe');
      template.resourceCountIs('AWS::Glue::Crawler', 0);
    });

    it.each(specs.map((s) => [`${s.namespace}.${s.name}`, s] as const))(
      '%s: columns and types from the model, partitioned by day of the change, in its zone raw bucket',
      (_, spec) => {
        const t = glueTables.find((g) => g.DatabaseName === spec.namespace && g.Name === spec.name)!;
        expect(t.DatabaseName).toBe(rawDb(spec.zone));
        const input = t.OpenTableFormatInput.IcebergInput.IcebergTableInput;
        expect(input.Location).toBe(
          icebergTableLocation(lakeBucketName(model, env, { zone: spec.zone, layer: 'raw' }), spec),
        );
        expect(input.Schema.Fields.map((f) => [f.Id, f.Name, f.Required])).toEqual(
          spec.schema.fields.map((f) => [f.id, f.name, false]),
        );
        for (const f of spec.schema.fields) {
          const declared = input.Schema.Fields.find((g) => g.Name === f.name)!;
          expect(typeof f.type === 'string' ? declared.Type : JSON.parse(declared.Type)).toEqual(f.type);
        }
        // Day partitions of the database commit time (the source position column).
        expect(input.PartitionSpec.Fields).toEqual([
          {
            SourceId: input.Schema.Fields.find((f) => f.Name === '_source_ts')!.Id,
            Transform: 'day',
            Name: 'change_day',
            FieldId: 1000,
          },
        ]);
      },
    );

    it('never declares a restricted column', () => {
      const reference = glueTables.find((t) => t.Name === 'reference_data')!;
      const names = reference.OpenTableFormatInput.IcebergInput.IcebergTableInput.Schema.Fields.map(
        (f) => f.Name,
      );
      expect(names).not.toContain('internal_credit_rating');
    });
  });

  describe('buckets', () => {
    it('every layer bucket has the name lakeBucketName gives it (the local stack uses the same function)', () => {
      for (const [zone, z] of stack.zones)
        for (const layer of model.layers)
          expect(
            resourcesOf(template, 'AWS::S3::Bucket')[logicalId(z.bucket(layer))]!.Properties!.BucketName,
          ).toBe(lakeBucketName(model, env, { zone, layer }));
    });

    it('no bucket ever moves data to Glacier Flexible Retrieval or Deep Archive', () => {
      const lifecycle = JSON.stringify(
        Object.values(resourcesOf(template, 'AWS::S3::Bucket')).map(
          (b) => b.Properties!.LifecycleConfiguration,
        ),
      );
      expect(lifecycle).toContain('"StorageClass":"STANDARD_IA"');
      expect(lifecycle).not.toMatch(/"StorageClass":"(GLACIER|DEEP_ARCHIVE)"/);
    });

    it('raw (Iceberg) buckets never expire current objects: table maintenance deletes what no snapshot needs', () => {
      for (const z of stack.zones.values()) {
        const rules = (
          resourcesOf(template, 'AWS::S3::Bucket')[logicalId(z.bucket('raw'))]!.Properties!
            .LifecycleConfiguration as {
            Rules: Record<string, unknown>[];
          }
        ).Rules;
        for (const rule of rules) {
          expect(rule.ExpirationInDays).toBeUndefined();
          expect(rule.NoncurrentVersionExpiration).toBeDefined();
          expect(rule.ExpiredObjectDeleteMarker).toBe(true);
        }
      }
    });
  });

  describe('sink roles', () => {
    const sink = (zone: ZoneName) => logicalId(stack.sinkRoles.get(`sink-${zone}/raw`)!.role);
    const other = (zone: ZoneName): ZoneName => (zone === 'mnpi' ? 'public' : 'mnpi');

    it.each(['mnpi', 'public'] as const)('the %s sink touches nothing of the other zone', (zone) => {
      const policies = rolePolicies(sink(zone));
      for (const id of zoneIds(other(zone))) expect(policies).not.toContain(id);
      expect(policies).not.toContain(`database/${rawDb(other(zone))}`);
      expect(policies).not.toContain(`table/${rawDb(other(zone))}`);
      expect(policies).not.toMatch(new RegExp(`lakewall_\\w+_${other(zone)}`));
    });

    it('the public sink has nothing on the MNPI database, bucket or key, and shares only the catalog key', () => {
      const mnpi = statementsOfRole(sink('mnpi'));
      const pub = statementsOfRole(sink('public'));
      const resources = (ss: Statement[]) =>
        new Set(
          ss
            .filter((s) => JSON.stringify(s.Action).match(/"(s3|kms|glue):/))
            .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]))
            .map((r) => JSON.stringify(r)),
        );
      const shared = [...resources(mnpi)].filter((r) => resources(pub).has(r));
      expect(shared.sort()).toEqual(
        [
          JSON.stringify({ 'Fn::GetAtt': [logicalId(stack.catalog.key), 'Arn'] }),
          JSON.stringify(
            `arn:aws:glue:${model.environments[env].region}:${model.environments[env].account}:catalog`,
          ),
        ].sort(),
      );
    });

    it.each(['mnpi', 'public'] as const)(
      'the %s sink writes and reads its own tables only, never lists, deletes or creates tables',
      (zone) => {
        const statements = statementsOfRole(sink(zone));
        const actions = statements.flatMap((s) => [s.Action].flat()).filter((a): a is string => !!a);
        expect(actions).toEqual(expect.arrayContaining(['s3:PutObject', 's3:GetObject', 'glue:UpdateTable']));
        for (const forbidden of [
          's3:DeleteObject',
          's3:ListBucket',
          'glue:CreateTable',
          'glue:DeleteTable',
          's3:*',
          'glue:*',
        ])
          expect(actions).not.toContain(forbidden);
        const glue = statements.find((s) => [s.Action].flat().includes('glue:UpdateTable'))!;
        const tables = (glue.Resource as string[]).filter((r) => r.includes(':table/'));
        expect(tables.sort()).toEqual(
          specs
            .filter((s) => s.zone === zone)
            .map(
              (s) =>
                `arn:aws:glue:${model.environments[env].region}:${model.environments[env].account}:table/${s.namespace}/${s.name}`,
            )
            .sort(),
        );
      },
    );
  });

  describe('table maintenance', () => {
    const maintenance = deriveLakeMaintenance(model, env);

    it('has a compaction, a snapshot-retention and an orphan-file optimizer per raw table, and nothing else', () => {
      expect(optimizers).toHaveLength(specs.length * 3);
      for (const spec of specs) {
        const mine = optimizers.filter((o) => o.DatabaseName === spec.namespace && o.TableName === spec.name);
        expect(mine.map((o) => o.Type).sort()).toEqual(['compaction', 'orphan_file_deletion', 'retention']);
        const role = logicalId(stack.tableMaintenance.get(spec.zone)!.role);
        for (const o of mine) {
          expect(o.TableOptimizerConfiguration.Enabled).toBe(true);
          expect(o.TableOptimizerConfiguration.RoleArn).toEqual({ 'Fn::GetAtt': [role, 'Arn'] });
        }
        expect(
          mine.find((o) => o.Type === 'retention')!.TableOptimizerConfiguration.RetentionConfiguration,
        ).toEqual({
          IcebergConfiguration: {
            SnapshotRetentionPeriodInDays: maintenance.snapshotRetentionDays,
            NumberOfSnapshotsToRetain: maintenance.snapshotsToRetain,
            CleanExpiredFiles: true,
          },
        });
        expect(
          mine.find((o) => o.Type === 'orphan_file_deletion')!.TableOptimizerConfiguration
            .OrphanFileDeletionConfiguration,
        ).toEqual({
          IcebergConfiguration: {
            OrphanFileRetentionPeriodInDays: maintenance.orphanFileRetentionDays,
            Location: icebergTableLocation(
              lakeBucketName(model, env, { zone: spec.zone, layer: 'raw' }),
              spec,
            ),
          },
        });
      }
      expect(maintenance.snapshotRetentionDays).toBe(model.environments[env].lake.retentionDays);
    });

    it.each(['mnpi', 'public'] as const)(
      'the %s maintenance role is Glue’s, reaches only its zone, and cannot touch other layers',
      (zone) => {
        const m = stack.tableMaintenance.get(zone)!;
        const role = resourcesOf(template, 'AWS::IAM::Role')[logicalId(m.role)]!.Properties!;
        expect(JSON.stringify(role.AssumeRolePolicyDocument)).toContain('"Service":"glue.amazonaws.com"');
        const policies = rolePolicies(logicalId(m.role));
        const other = zone === 'mnpi' ? 'public' : 'mnpi';
        for (const id of zoneIds(other)) expect(policies).not.toContain(id);
        const z = stack.zones.get(zone)!;
        for (const layer of model.layers.filter((l) => l !== 'raw'))
          expect(policies).not.toContain(logicalId(z.bucket(layer)));
        expect(policies).not.toContain(logicalId(z.queryResults.bucket));
        const list = statementsOfRole(logicalId(m.role)).find((s) =>
          [s.Action].flat().includes('s3:ListBucket'),
        )!;
        expect(list.Condition!.StringLike!['s3:prefix']).toEqual(
          specs.filter((s) => s.zone === zone).map((s) => `${s.namespace}/${s.name}/*`),
        );
      },
    );
  });

  describe('keys', () => {
    it('the deployment role may generate data keys of a zone (Glue writes a new table’s first metadata file), never decrypt', () => {
      const deploymentRole = `cdk-hnb659fds-cfn-exec-role-${model.environments[env].account}`;
      for (const z of stack.zones.values()) {
        const statements = (
          resourcesOf(template, 'AWS::KMS::Key')[logicalId(z.key)]!.Properties!.KeyPolicy as {
            Statement: Statement[];
          }
        ).Statement;
        const useDeny = statements.find((s) => s.Sid === 'DenyUseByRolesNotClearedForZone')!;
        expect(useDeny.Action).toEqual(
          expect.arrayContaining(['kms:Decrypt', 'kms:ReEncrypt*', 'kms:CreateGrant']),
        );
        expect(JSON.stringify(useDeny.Condition)).not.toContain(deploymentRole);
        const dataKeyDeny = statements.find(
          (s) => s.Sid === 'DenyDataKeysToRolesNotClearedOrCreatingTables',
        )!;
        expect(dataKeyDeny.Action).toBe('kms:GenerateDataKey*');
        expect(JSON.stringify(dataKeyDeny.Condition)).toContain(deploymentRole);
        expect(
          statements.some((s) => s.Effect === 'Allow' && JSON.stringify(s).includes(deploymentRole)),
        ).toBe(false);
      }
    });
  });

  describe('Athena', () => {
    it('query roles granted the raw layer read its Iceberg tables; others get nothing of raw', () => {
      for (const access of stack.queryAccess) {
        const policies = rolePolicies(logicalId(access.role));
        for (const [zone, z] of stack.zones) {
          const reads = policies.includes(logicalId(z.bucket('raw')));
          expect([access.role.node.path, zone, reads]).toEqual([
            access.role.node.path,
            zone,
            policies.includes(`table/${rawDb(zone)}/*`),
          ]);
        }
      }
      const engineers = stack.queryAccess.find((q) => q.role.node.path.includes('data-engineers'))!;
      const policies = rolePolicies(logicalId(engineers.role));
      for (const zone of ['mnpi', 'public'] as const) expect(policies).toContain(`table/${rawDb(zone)}/*`);
      const analysts = stack.queryAccess.find((q) => q.role.node.path.includes('data-analysts'))!;
      expect(rolePolicies(logicalId(analysts.role))).not.toContain('lakewall_raw_');
    });
  });
});
