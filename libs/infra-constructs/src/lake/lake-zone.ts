import { Lazy, RemovalPolicy } from 'aws-cdk-lib';
import { KEY_USE_ACTIONS } from '../defaults/key-actions';
import { secureKey } from '../defaults/secure-key';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { classify } from '../tagging/platform-tags';
import { KmsOnlyBucket } from './kms-only-bucket';
import { lakeLifecycleRules } from './lifecycle';

/** Encrypting new objects: the one key use a table creator needs. */
const DATA_KEY_ACTION = 'kms:GenerateDataKey*';

export interface LakeZoneProps {
  /** The zone's name in the platform model (e.g. "mnpi"). */
  readonly zone: string;
  /** The layers that get a bucket, in model order (e.g. raw, curated, analytics). */
  readonly layers: readonly string[];
  /** The model principals cleared for this zone: only they can be granted anything on it. */
  readonly clearedPrincipals: readonly string[];
  /** How long lake objects are kept, in days (model: environments.<env>.lake.retentionDays). */
  readonly retentionDays: number;
  /** Where the zone's buckets send S3 server access logs. */
  readonly accessLogsBucket: IBucket;
  /** Alias of the zone key, e.g. "alias/lakewall-dev-mnpi". */
  readonly keyAlias: string;
  /**
   * Physical bucket name of each layer (model: lakeBucketName), so the connectors, the local stack and
   * the stack name a bucket the same way. Changing one replaces the bucket.
   * @default - names CloudFormation generates
   */
  readonly bucketNames?: Readonly<Record<string, string>>;
  /**
   * Layers whose objects are Iceberg tables: lifecycle never expires their current objects (a
   * missing data or metadata file breaks the table), Iceberg table maintenance deletes what no
   * snapshot needs any more.
   * @default - none
   */
  readonly icebergLayers?: readonly string[];
  /**
   * The role CloudFormation deploys with, allowed to generate data keys (never to decrypt): Glue
   * writes a new Iceberg table's first metadata file as the caller that creates the table.
   * @default - no role besides the cleared ones
   */
  readonly tableCreatorRoleArn?: string;
  /**
   * Days query results are kept in the zone's Athena results bucket (capped at retentionDays).
   * @default 30
   */
  readonly queryResultsDays?: number;
  /**
   * What happens to keys and buckets when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * One data zone: a customer-managed key (rotated) and a KMS-only bucket per layer, plus a bucket for
 * Athena query results over this zone. Access goes through the grant methods, which refuse principals
 * the model does not clear for the zone, and every role granted is written into the key policy's
 * allow-list: anyone else in the account, administrators included, is denied use of the key.
 */
export class LakeZone extends Construct {
  readonly zone: string;
  readonly key: kms.Key;
  readonly queryResults: KmsOnlyBucket;
  private readonly layerBuckets = new Map<string, KmsOnlyBucket>();
  private readonly cleared = new Map<string, iam.IRole>();
  private readonly clearedPrincipals: ReadonlySet<string>;

  constructor(scope: Construct, id: string, props: LakeZoneProps) {
    super(scope, id);
    if (props.layers.length === 0) throw new Error(`LakeZone ${this.node.path}: layers must not be empty`);
    this.zone = props.zone;
    this.clearedPrincipals = new Set(props.clearedPrincipals);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.key = secureKey(this, 'Key', {
      description: `Lake zone ${props.zone}: encrypts every object of the zone`,
      alias: props.keyAlias,
      removalPolicy,
    });
    // Administration is the key administrator's (secureKey); this Deny (a hand-written
    // statement because no grant method expresses "nobody else") confines its use to the roles
    // this zone granted, resolved at synthesis once every grant is known.
    const clearedArns = () => [...this.cleared.values()].map((r) => r.roleArn);
    const creator = props.tableCreatorRoleArn;
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyUseByRolesNotClearedForZone',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: creator ? KEY_USE_ACTIONS.filter((a) => a !== DATA_KEY_ACTION) : [...KEY_USE_ACTIONS],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': Lazy.list({ produce: clearedArns }) } },
      }),
    );
    if (creator) {
      // Generating a data key encrypts a new object; it decrypts nothing already in the zone.
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'DenyDataKeysToRolesNotClearedOrCreatingTables',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: [DATA_KEY_ACTION],
          resources: ['*'],
          conditions: {
            ArnNotEquals: { 'aws:PrincipalArn': Lazy.list({ produce: () => [...clearedArns(), creator] }) },
          },
        }),
      );
    }

    const noReplication = `Zone ${props.zone} data stays in one region on purpose: a replica would be a second copy outside the zone key's allow-list; versioning covers recovery.`;
    const iceberg = new Set(props.icebergLayers ?? []);
    for (const layer of [...iceberg, ...Object.keys(props.bucketNames ?? {})]) {
      if (!props.layers.includes(layer))
        throw new Error(
          `LakeZone ${this.node.path}: '${layer}' is not one of the layers (${props.layers.join(', ')})`,
        );
    }
    for (const layer of props.layers) {
      const bucketName = props.bucketNames?.[layer];
      if (props.bucketNames && !bucketName)
        throw new Error(`LakeZone ${this.node.path}: bucketNames has no name for layer '${layer}'`);
      this.layerBuckets.set(
        layer,
        new KmsOnlyBucket(this, `${capitalize(layer)}Bucket`, {
          bucketName,
          encryptionKey: this.key,
          accessLogsBucket: props.accessLogsBucket,
          accessLogsPrefix: `${props.zone}/${layer}/`,
          lifecycleRules: lakeLifecycleRules(props.retentionDays, {
            expireCurrentObjects: !iceberg.has(layer),
          }),
          removalPolicy,
          noReplicationReason: noReplication,
        }),
      );
    }
    this.queryResults = new KmsOnlyBucket(this, 'QueryResultsBucket', {
      encryptionKey: this.key,
      accessLogsBucket: props.accessLogsBucket,
      accessLogsPrefix: `${props.zone}/query-results/`,
      lifecycleRules: KmsOnlyBucket.expireAfter(Math.min(props.queryResultsDays ?? 30, props.retentionDays)),
      removalPolicy,
      noReplicationReason: noReplication,
    });

    classify(this, props.zone);
    this.node.addValidation({
      validate: () =>
        this.cleared.size === 0
          ? [
              `LakeZone ${this.node.path}: no role was granted access to zone ${this.zone}; its key would be unusable`,
            ]
          : [],
    });
  }

  /** The bucket of a layer; throws naming the zone and layer if the model has no such layer. */
  bucket(layer: string): IBucket {
    const found = this.layerBuckets.get(layer);
    if (!found)
      throw new Error(
        `LakeZone ${this.node.path}: zone ${this.zone} has no layer '${layer}' (layers: ${[...this.layerBuckets.keys()].join(', ')})`,
      );
    return found.bucket;
  }

  /** All layer buckets, in layer order. */
  get buckets(): IBucket[] {
    return [...this.layerBuckets.values()].map((b) => b.bucket);
  }

  /** Roles allowed to use the zone key (everything granted so far). */
  get clearedRoles(): iam.IRole[] {
    return [...this.cleared.values()];
  }

  /** Read access to one layer for a principal cleared for the zone. */
  grantRead(principal: string, role: iam.IRole, layer: string): iam.Grant {
    this.clear(principal, role);
    return this.bucket(layer).grantRead(role);
  }

  /**
   * An Iceberg writer under given key prefixes of one layer (one prefix per table): put data and
   * metadata files, read the metadata and manifests a commit builds on, abort its own failed uploads.
   * No listing and no deletion: files a failed commit leaves behind are table maintenance's.
   */
  grantIcebergWrite(
    principal: string,
    role: iam.IRole,
    layer: string,
    prefixes: readonly string[],
  ): iam.Grant {
    const bucket = this.bucketFor(principal, role, layer, prefixes, 'grantIcebergWrite');
    iam.Grant.addToPrincipal({
      grantee: role,
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
      resourceArns: prefixes.map((p) => bucket.arnForObjects(`${p}*`)),
    });
    // Multipart uploads decrypt the parts they assemble: encrypt alone is not enough.
    return this.key.grantEncryptDecrypt(role);
  }

  /**
   * Iceberg table maintenance under given prefixes of one layer (compaction, snapshot expiry,
   * orphan-file deletion): list, read, write and delete the tables' files, nothing outside them.
   */
  grantTableMaintenance(
    principal: string,
    role: iam.IRole,
    layer: string,
    prefixes: readonly string[],
  ): iam.Grant {
    const bucket = this.bucketFor(principal, role, layer, prefixes, 'grantTableMaintenance');
    iam.Grant.addToPrincipal({
      grantee: role,
      actions: ['s3:ListBucket'],
      resourceArns: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': prefixes.map((p) => `${p}*`) } },
    });
    iam.Grant.addToPrincipal({
      grantee: role,
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      resourceArns: prefixes.map((p) => bucket.arnForObjects(`${p}*`)),
    });
    return this.key.grantEncryptDecrypt(role);
  }

  private bucketFor(
    principal: string,
    role: iam.IRole,
    layer: string,
    prefixes: readonly string[],
    method: string,
  ): IBucket {
    if (prefixes.length === 0)
      throw new Error(`LakeZone ${this.node.path}: ${method}(${principal}) needs at least one prefix`);
    for (const p of prefixes)
      if (!p.endsWith('/') || p.startsWith('/'))
        throw new Error(
          `LakeZone ${this.node.path}: ${method}(${principal}) prefix '${p}' must be relative and end with '/'`,
        );
    this.clear(principal, role);
    return this.bucket(layer);
  }

  /**
   * Athena's results on the role's own prefix of the zone's query-results bucket: list and read only
   * that prefix, write new objects; no deletion of versions, no re-encryption, no legal-hold or
   * retention changes (grantReadWrite would give all of those).
   */
  grantQueryResults(principal: string, role: iam.IRole, prefix: string): iam.Grant {
    this.clear(principal, role);
    const bucket = this.queryResults.bucket;
    iam.Grant.addToPrincipal({
      grantee: role,
      actions: ['s3:ListBucket'],
      resourceArns: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
    });
    iam.Grant.addToPrincipal({
      grantee: role,
      actions: ['s3:GetBucketLocation'],
      resourceArns: [bucket.bucketArn],
    });
    iam.Grant.addToPrincipal({
      grantee: role,
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resourceArns: [this.key.keyArn],
    });
    return iam.Grant.addToPrincipal({
      grantee: role,
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resourceArns: [bucket.arnForObjects(`${prefix}*`)],
    });
  }

  private clear(principal: string, role: iam.IRole): void {
    if (!this.clearedPrincipals.has(principal)) {
      throw new Error(
        `LakeZone ${this.node.path}: principal '${principal}' is not cleared for zone ${this.zone}; refusing to grant access`,
      );
    }
    this.cleared.set(role.node.path, role);
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
