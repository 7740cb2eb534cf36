import {
  deriveAthenaAccess,
  deriveGlueDatabases,
  type EnvName,
  type PlatformModel,
} from '@lakewall/platform-model';
import type { AccessCheck, AwsPrincipal, PolicyDocument, ProtectedResource, RequestSpec } from '../types';
import { arnOf, type ResolvedEnvironment, type ResolvedResource } from './resolved-environment';

/** The tag the infrastructure puts on every classified resource. */
export const CLASSIFICATION_TAG = 'data-classification';

/** A finding about where MNPI is placed rather than who may read it (e.g. query results). */
export interface PlacementFinding {
  readonly resource: string;
  readonly message: string;
}

export interface ResourceInventory {
  readonly resources: readonly ProtectedResource[];
  readonly placement: readonly PlacementFinding[];
}

/**
 * Every MNPI resource the model implies, found in the templates by type and by the model's names and
 * tags: MNPI buckets (each layer and the query results), the keys that encrypt them, the MNPI Glue
 * databases and tables, the MNPI-capable Athena workgroups, the source database, its snapshots,
 * secret and key, the audit trail's bucket and key, and the roles cleared for MNPI (becoming one is a
 * way in). Anything of these types that nothing classifies is treated as MNPI: the model does not
 * know it, so it fails closed.
 */
export function enumerateResources(
  env: ResolvedEnvironment,
  model: PlatformModel,
  principals: readonly AwsPrincipal[],
): ResourceInventory {
  const ctx = new Context(env);
  const out: ProtectedResource[] = [];
  const placement: PlacementFinding[] = [];
  const trails = ctx.byType('AWS::CloudTrail::Trail');
  const auditBuckets = new Set(trails.map((t) => String(t.properties.S3BucketName)));
  const auditKeys = new Set(trails.map((t) => String(t.properties.KMSKeyId ?? '')));
  const databases = ctx.byType('AWS::RDS::DBInstance');
  const databaseKeys = new Set(databases.map((d) => String(d.properties.KmsKeyId ?? '')));

  const classify = (r: ResolvedResource, audit: boolean, source = false): string | undefined => {
    if (audit) return 'the audit trail: its records name every MNPI object read';
    if (source) return 'encrypts the source database, its snapshots and its credentials';
    const c = r.tags.get(CLASSIFICATION_TAG);
    if (c === 'mnpi') return `tagged ${CLASSIFICATION_TAG}=mnpi`;
    if (c === 'public') return undefined;
    return `no ${CLASSIFICATION_TAG} tag: treated as MNPI (fail closed)`;
  };

  for (const key of ctx.byType('AWS::KMS::Key')) {
    const why = classify(key, auditKeys.has(arnOf(key)), databaseKeys.has(arnOf(key)));
    if (why) out.push(keyResource(ctx, key, why));
  }
  for (const bucket of ctx.byType('AWS::S3::Bucket')) {
    const why = classify(bucket, auditBuckets.has(bucket.ref));
    if (why) out.push(bucketResource(ctx, bucket, why));
  }
  // The data an MNPI-capable workgroup can scan: every bucket tagged MNPI.
  const mnpiLakeBuckets = ctx
    .byType('AWS::S3::Bucket')
    .filter((b) => b.tags.get(CLASSIFICATION_TAG) === 'mnpi');

  if (ctx.byType('AWS::Glue::Database').length > 0) out.push(glueCatalogResource(ctx));
  const glueZones = new Map(deriveGlueDatabases(model).map((d) => [d.name, d.zone]));
  const mnpiDatabases = new Set<string>();
  for (const db of ctx.byType('AWS::Glue::Database')) {
    const name = db.ref;
    const zone = glueZones.get(name);
    if (zone === 'public') continue;
    mnpiDatabases.add(name);
    out.push(
      glueDatabaseResource(
        ctx,
        name,
        zone ? `Glue database of zone ${zone}` : 'not a database of the model: treated as MNPI',
      ),
    );
  }
  for (const table of ctx.byType('AWS::Glue::Table')) {
    const database = String(table.properties.DatabaseName);
    if (!mnpiDatabases.has(database)) continue;
    // An Iceberg table is named at the top level (no TableInput); a Hive table in its TableInput.
    const name = String(
      table.properties.Name ??
        (table.properties.TableInput as { Name?: unknown } | undefined)?.Name ??
        table.name,
    );
    out.push(glueTableResource(ctx, database, name));
  }

  const workgroupZones = new Map(
    deriveAthenaAccess(model, env.environment as EnvName).map((a) => [a.workgroup, a.zones]),
  );
  for (const wg of ctx.byType('AWS::Athena::WorkGroup')) {
    const zones = workgroupZones.get(wg.ref);
    if (zones && !zones.includes('mnpi')) continue;
    const why = zones
      ? 'MNPI-capable: its principal queries the MNPI zone'
      : 'not a workgroup of the model: treated as MNPI-capable';
    const { resources, findings } = workgroupResources(ctx, wg, why, mnpiLakeBuckets);
    out.push(...resources);
    placement.push(...findings);
  }

  for (const secret of ctx.byType('AWS::SecretsManager::Secret')) {
    const why = classify(secret, false);
    if (why) out.push(secretResource(ctx, secret, why));
  }
  for (const db of databases) out.push(databaseResource(ctx, db));

  for (const p of principals) {
    if (p.origin === 'template' && p.clearance === 'mnpi') out.push(roleResource(ctx, p));
  }
  return { resources: out, placement };
}

class Context {
  constructor(readonly env: ResolvedEnvironment) {}
  byType(type: string): ResolvedResource[] {
    return this.env.resources.filter((r) => r.type === type);
  }
  get s3(): string {
    return `s3.${this.env.region}.amazonaws.com`;
  }
  arn(service: string, rest: string): string {
    return `arn:aws:${service}:${this.env.region}:${this.env.account}:${rest}`;
  }
  keyByArn(arn: string): ResolvedResource | undefined {
    return this.byType('AWS::KMS::Key').find((k) => k.arn === arn || k.ref === arn);
  }
  bucketByName(name: string): ResolvedResource | undefined {
    return this.byType('AWS::S3::Bucket').find((b) => b.ref === name);
  }
  bucketPolicy(bucket: ResolvedResource): { name: string; policy: PolicyDocument } | undefined {
    const p = this.byType('AWS::S3::BucketPolicy').find((bp) => bp.properties.Bucket === bucket.ref);
    return (
      p && { name: `bucket policy of ${bucket.name}`, policy: p.properties.PolicyDocument as PolicyDocument }
    );
  }
  keyPolicy(key: ResolvedResource): { name: string; policy: PolicyDocument } {
    // A key without a policy gets the default one, which delegates to IAM in the account.
    const policy = (key.properties.KeyPolicy as PolicyDocument | undefined) ?? {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${this.env.account}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    };
    return { name: `key policy of ${key.name}`, policy };
  }
  /** The step that decrypts data of `keyArn` through a service (S3, Secrets Manager, RDS). */
  decryptVia(keyArn: string, service: string, action = 'kms:Decrypt'): RequestSpec[] {
    const key = this.keyByArn(keyArn);
    if (!key) return [{ action, resource: keyArn, context: { 'kms:ViaService': service } }];
    const kp = this.keyPolicy(key);
    return [
      {
        action,
        resource: arnOf(key),
        resourcePolicyName: kp.name,
        resourcePolicy: kp.policy,
        context: { 'kms:ViaService': service, 'kms:CallerAccount': this.env.account },
      },
    ];
  }
}

function keyResource(ctx: Context, key: ResolvedResource, why: string): ProtectedResource {
  const kp = ctx.keyPolicy(key);
  const step = (action: string): RequestSpec => ({
    action,
    resource: arnOf(key),
    resourcePolicyName: kp.name,
    resourcePolicy: kp.policy,
  });
  return {
    id: `key:${key.name}`,
    kind: 'key',
    arn: arnOf(key),
    description: String(key.properties.Description ?? key.name),
    why,
    checks: [
      { access: 'decrypt', steps: [step('kms:Decrypt')] },
      { access: 'change-policy', steps: [step('kms:PutKeyPolicy')], then: 'grant itself kms:Decrypt' },
      { access: 'change-policy', steps: [step('kms:CreateGrant')], then: 'Decrypt through the grant' },
    ],
  };
}

function bucketResource(
  ctx: Context,
  bucket: ResolvedResource,
  why: string,
  objects = '*',
): ProtectedResource {
  const bp = ctx.bucketPolicy(bucket);
  const step = (action: string, resource: string): RequestSpec => ({
    action,
    resource,
    resourcePolicyName: bp?.name,
    resourcePolicy: bp?.policy,
    context: { 's3:TlsVersion': '1.2' },
  });
  const keyArn = kmsKeyOfBucket(bucket);
  const read = readObjectSteps(ctx, bucket, objects);
  return {
    id: `bucket:${bucket.name}`,
    kind: 'bucket',
    arn: arnOf(bucket),
    description: `S3 bucket ${bucket.name}${keyArn ? ` (SSE-KMS, ${ctx.keyByArn(keyArn)?.name ?? keyArn})` : ' (not encrypted with a KMS key)'}`,
    why,
    checks: [
      { access: 'read', steps: read },
      ...(keyArn ? [{ access: 'fetch' as const, steps: read.slice(0, 1) }] : []),
      {
        access: 'change-policy',
        steps: [step('s3:PutBucketPolicy', arnOf(bucket))],
        then: 'grant itself s3:GetObject',
      },
      {
        access: 'change-policy',
        steps: [step('s3:DeleteBucketPolicy', arnOf(bucket))],
        then: 'remove the bucket policy’s denies',
      },
    ],
  };
}

/** Reading an object: s3:GetObject under the bucket policy, then kms:Decrypt through S3 when SSE-KMS. */
function readObjectSteps(ctx: Context, bucket: ResolvedResource, objects = '*'): RequestSpec[] {
  const bp = ctx.bucketPolicy(bucket);
  const keyArn = kmsKeyOfBucket(bucket);
  return [
    {
      action: 's3:GetObject',
      resource: `${bucket.arn}/${objects}`,
      resourcePolicyName: bp?.name,
      resourcePolicy: bp?.policy,
      context: { 's3:TlsVersion': '1.2' },
    },
    ...(keyArn ? ctx.decryptVia(keyArn, ctx.s3) : []),
  ];
}

export function kmsKeyOfBucket(bucket: ResolvedResource): string | undefined {
  const rules = (
    bucket.properties.BucketEncryption as { ServerSideEncryptionConfiguration?: unknown[] } | undefined
  )?.ServerSideEncryptionConfiguration;
  for (const rule of rules ?? []) {
    const d = (rule as { ServerSideEncryptionByDefault?: { SSEAlgorithm?: string; KMSMasterKeyID?: string } })
      .ServerSideEncryptionByDefault;
    if (d?.SSEAlgorithm?.startsWith('aws:kms') && d.KMSMasterKeyID) return d.KMSMasterKeyID;
  }
  return undefined;
}

function glueDatabaseResource(ctx: Context, name: string, why: string): ProtectedResource {
  const arn = ctx.arn('glue', `database/${name}`);
  return {
    id: `glue-database:${name}`,
    kind: 'glue-database',
    arn,
    description: `Glue database ${name}`,
    why,
    checks: [
      { access: 'read', steps: [{ action: 'glue:GetTables', resource: arn }] },
      {
        access: 'change-policy',
        steps: [{ action: 'glue:UpdateDatabase', resource: arn }],
        then: 'change where its tables live',
      },
    ],
  };
}

/** The account's Data Catalog: whoever sets its resource policy decides who reads every database. */
function glueCatalogResource(ctx: Context): ProtectedResource {
  const arn = ctx.arn('glue', 'catalog');
  return {
    id: 'glue-catalog:catalog',
    kind: 'glue-database',
    arn,
    description: "the account's Glue Data Catalog",
    why: 'holds the MNPI databases',
    checks: [
      {
        access: 'change-policy',
        steps: [{ action: 'glue:PutResourcePolicy', resource: arn }],
        then: 'grant itself every MNPI database',
      },
    ],
  };
}

function glueTableResource(ctx: Context, database: string, table: string): ProtectedResource {
  const arn = ctx.arn('glue', `table/${database}/${table}`);
  return {
    id: `glue-table:${database}.${table}`,
    kind: 'glue-table',
    arn,
    description: `Glue table ${database}.${table}`,
    why: `a table of the MNPI database ${database}`,
    checks: [
      { access: 'read', steps: [{ action: 'glue:GetTable', resource: arn }] },
      {
        access: 'change-policy',
        steps: [{ action: 'glue:UpdateTable', resource: arn }],
        then: 'point the table at a location it can read',
      },
    ],
  };
}

function workgroupResources(
  ctx: Context,
  wg: ResolvedResource,
  why: string,
  dataBuckets: readonly ResolvedResource[],
): { resources: ProtectedResource[]; findings: PlacementFinding[] } {
  const name = wg.ref;
  const arn = ctx.arn('athena', `workgroup/${name}`);
  const config = (wg.properties.WorkGroupConfiguration ?? {}) as {
    EnforceWorkGroupConfiguration?: boolean;
    ResultConfiguration?: {
      OutputLocation?: string;
      EncryptionConfiguration?: { EncryptionOption?: string; KmsKey?: string };
    };
  };
  const resources: ProtectedResource[] = [
    {
      id: `workgroup:${name}`,
      kind: 'workgroup',
      arn,
      description: `Athena workgroup ${name}`,
      why,
      checks: [
        // Athena scans S3 and decrypts with the caller's own permissions: a query reaches MNPI only
        // when the caller may also read an MNPI bucket and use its key through S3.
        ...dataBuckets.map((bucket): AccessCheck => ({
          access: 'query',
          steps: [
            { action: 'athena:StartQueryExecution', resource: arn },
            { action: 'athena:GetQueryResults', resource: arn },
            ...readObjectSteps(ctx, bucket),
          ],
        })),
        {
          access: 'change-policy',
          steps: [{ action: 'athena:UpdateWorkGroup', resource: arn }],
          then: 'send its results where it can read them',
        },
      ],
    },
  ];
  const findings: PlacementFinding[] = [];
  const where = `workgroup:${name}`;
  if (config.EnforceWorkGroupConfiguration !== true) {
    findings.push({
      resource: where,
      message: `MNPI-capable workgroup ${name} does not enforce its configuration: a client can send its results anywhere`,
    });
  }
  const location = /^s3:\/\/([^/]+)\/?(.*)$/.exec(config.ResultConfiguration?.OutputLocation ?? '');
  if (!location) {
    findings.push({
      resource: where,
      message: `MNPI-capable workgroup ${name} has no result location of its own`,
    });
    return { resources, findings };
  }
  const bucket = ctx.bucketByName(location[1]);
  const encryption = config.ResultConfiguration?.EncryptionConfiguration;
  const resultKey = encryption?.KmsKey ? ctx.keyByArn(encryption.KmsKey) : undefined;
  if (!bucket) {
    findings.push({
      resource: where,
      message: `MNPI-capable workgroup ${name} writes its results to s3://${location[1]}, a bucket outside these templates`,
    });
  } else if (bucket.tags.get(CLASSIFICATION_TAG) !== 'mnpi') {
    findings.push({
      resource: where,
      message: `MNPI-capable workgroup ${name} writes its results to ${bucket.name} (classified ${bucket.tags.get(CLASSIFICATION_TAG) ?? 'nowhere'}), not an MNPI bucket: every reader of that bucket reads MNPI query results`,
    });
  }
  if (!encryption?.EncryptionOption?.endsWith('KMS') || !resultKey) {
    findings.push({
      resource: where,
      message: `MNPI-capable workgroup ${name} does not encrypt its results with a key of these templates`,
    });
  } else if (resultKey.tags.get(CLASSIFICATION_TAG) !== 'mnpi') {
    findings.push({
      resource: where,
      message: `MNPI-capable workgroup ${name} encrypts its results with ${resultKey.name} (classified ${resultKey.tags.get(CLASSIFICATION_TAG) ?? 'nowhere'}), not the MNPI zone key`,
    });
  }
  if (bucket) {
    // The results themselves, read straight from S3 and decrypted with the workgroup's result key.
    const prefix = location[2];
    const bp = ctx.bucketPolicy(bucket);
    const keyArn = resultKey?.arn ?? kmsKeyOfBucket(bucket);
    const fetch: RequestSpec = {
      action: 's3:GetObject',
      resource: `${bucket.arn}/${prefix}result.csv`,
      resourcePolicyName: bp?.name,
      resourcePolicy: bp?.policy,
      context: { 's3:TlsVersion': '1.2' },
    };
    resources.push({
      id: `query-results:${name}`,
      kind: 'bucket',
      arn: `${bucket.arn}/${prefix}`,
      description: `results of workgroup ${name} in ${bucket.name}/${prefix}`,
      why: `${why}; its query results are MNPI`,
      checks: [
        {
          access: 'read',
          steps: [fetch, ...(keyArn ? ctx.decryptVia(keyArn, ctx.s3) : [])],
        },
        { access: 'fetch', steps: [fetch] },
      ],
    });
  }
  return { resources, findings };
}

function secretResource(ctx: Context, secret: ResolvedResource, why: string): ProtectedResource {
  const policy = ctx
    .byType('AWS::SecretsManager::ResourcePolicy')
    .find((p) => p.properties.SecretId === secret.ref || p.properties.SecretId === secret.arn);
  const rp = policy && {
    resourcePolicyName: `resource policy of ${secret.name}`,
    resourcePolicy: policy.properties.ResourcePolicy as PolicyDocument,
  };
  const keyArn = secret.properties.KmsKeyId ? String(secret.properties.KmsKeyId) : undefined;
  const service = `secretsmanager.${ctx.env.region}.amazonaws.com`;
  return {
    id: `secret:${secret.name}`,
    kind: 'secret',
    arn: arnOf(secret),
    description: `secret ${secret.name}${keyArn ? '' : ' (AWS managed key)'}`,
    why,
    checks: [
      {
        access: 'read',
        steps: [
          { action: 'secretsmanager:GetSecretValue', resource: arnOf(secret), ...rp },
          ...(keyArn ? ctx.decryptVia(keyArn, service) : []),
        ],
      },
      {
        access: 'change-policy',
        steps: [{ action: 'secretsmanager:PutResourcePolicy', resource: arnOf(secret), ...rp }],
        then: 'read the secret',
      },
    ],
  };
}

function databaseResource(ctx: Context, db: ResolvedResource): ProtectedResource {
  const id = db.ref;
  const snapshot = ctx.arn('rds', `snapshot:${id}-access-proof`);
  const keyArn = db.properties.KmsKeyId ? String(db.properties.KmsKeyId) : undefined;
  const rds = `rds.${ctx.env.region}.amazonaws.com`;
  return {
    id: `database:${db.name}`,
    kind: 'database',
    arn: arnOf(db),
    description: `source database ${id}: its snapshots restored elsewhere`,
    why: 'the source database holds every MNPI table',
    checks: [
      {
        access: 'restore',
        steps: [
          { action: 'rds:CreateDBSnapshot', resource: arnOf(db) },
          { action: 'rds:RestoreDBInstanceFromDBSnapshot', resource: snapshot },
          ...(keyArn ? ctx.decryptVia(keyArn, rds, 'kms:CreateGrant') : []),
        ],
      },
      {
        access: 'change-policy',
        steps: [{ action: 'rds:ModifyDBSnapshotAttribute', resource: snapshot }],
        then: 'share a snapshot with another account',
      },
    ],
  };
}

function roleResource(ctx: Context, p: AwsPrincipal): ProtectedResource {
  const role = ctx.byType('AWS::IAM::Role').find((r) => r.arn === p.arn);
  const trust = role?.properties.AssumeRolePolicyDocument as PolicyDocument | undefined;
  const checks: AccessCheck[] = [
    {
      access: 'assume',
      steps: [
        {
          action: 'sts:AssumeRole',
          resource: p.arn,
          resourcePolicyName: `trust policy of ${p.id}`,
          resourcePolicy: trust,
        },
      ],
      then: `act as ${p.id}, cleared for MNPI`,
    },
    {
      access: 'assume',
      steps: [{ action: 'iam:PassRole', resource: p.arn }],
      then: `run a service as ${p.id}, cleared for MNPI`,
    },
    ...['iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy'].map(
      (action): AccessCheck => ({
        access: 'change-policy',
        steps: [{ action, resource: p.arn }],
        then: `take over ${p.id}`,
      }),
    ),
  ];
  return {
    id: `role:${p.id}`,
    kind: 'role',
    arn: p.arn,
    description: `role of ${p.id}`,
    why: 'cleared for MNPI by the model',
    checks,
  };
}
