import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { LakeCatalog } from '../catalog/lake-catalog';
import { mskConnectPrincipal } from '../connect/msk-connector';
import { acknowledgeNag } from '../nag/acknowledge';
import { acknowledgeWildcard, wildcardResourceFinding } from '../nag/wildcard-findings';
import type { LakeZone } from './lake-zone';

export interface SinkWriterRoleProps {
  /** Model principal of the sink, e.g. "sink-mnpi" (model: deriveSinks().principal). */
  readonly principal: string;
  /** The zone the sink writes. */
  readonly zone: LakeZone;
  /** Layer the sink writes (model: principals.<p>.lake.write.layers). */
  readonly layer: string;
  /** The catalog holding the sink's tables. */
  readonly catalog: LakeCatalog;
  /** The zone's Glue database of that layer (model: the sink's namespace). */
  readonly database: string;
  /** The Iceberg tables the sink commits to, with their key prefixes in the layer's bucket. */
  readonly tables: readonly { readonly name: string; readonly prefix: string }[];
  /**
   * Service that assumes the role.
   * @default kafkaconnect.amazonaws.com for this account's connectors (the sinks run on MSK Connect)
   */
  readonly assumedBy?: iam.IPrincipal;
}

/**
 * The role a zone's Iceberg sink connector writes with: the files of its own tables in the zone's
 * bucket (put and read, never list or delete) with the zone key, and commits to those tables in the
 * zone's Glue database. Nothing of another zone: no other bucket, key, database or table. Created
 * with the lake so the zone key's allow-list names it; the data-plane stack hands it to the task.
 */
export class SinkWriterRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: SinkWriterRoleProps) {
    super(scope, id);
    if (props.tables.length === 0)
      throw new Error(`SinkWriterRole ${this.node.path}: ${props.principal} has no tables to write`);
    this.role = new iam.Role(this, 'Role', {
      // Confused-deputy guard: only MSK Connect connectors of this account and region.
      assumedBy: props.assumedBy ?? mskConnectPrincipal(Stack.of(scope)),
      description: `${props.principal}: writes the ${props.layer} layer of zone ${props.zone.zone}`,
    });
    const prefixes = props.tables.map((t) => t.prefix);
    props.zone.grantIcebergWrite(props.principal, this.role, props.layer, prefixes);
    props.catalog.grantCommit(
      this.role,
      props.database,
      props.tables.map((t) => t.name),
    );

    const bucket = props.zone.bucket(props.layer);
    acknowledgeWildcard(
      this.role,
      'Action::kms:GenerateDataKey*',
      'Encrypting new objects and catalog metadata with keys whose policies admit only listed roles',
    );
    acknowledgeWildcard(
      this.role,
      'Action::kms:ReEncrypt*',
      "Key grants (zone and catalog); each key's policy admits only the roles it lists",
    );
    for (const prefix of prefixes) {
      acknowledgeWildcard(
        this.role,
        wildcardResourceFinding(this.role, bucket.arnForObjects(`${prefix}*`)),
        `Files of the Iceberg table under ${prefix}, which this sink writes`,
      );
    }
    acknowledgeNag(
      this.role.node.findChild('DefaultPolicy'),
      'NIST.800.53.R5-IAMNoInlinePolicy',
      "CDK grant methods write this role's least-privilege statements into a policy attached to this role only.",
    );
  }
}
