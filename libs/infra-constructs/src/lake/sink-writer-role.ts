import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
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
  /** Key prefixes the sink writes under, one per topic ("<topic>/"). */
  readonly prefixes: readonly string[];
  /**
   * Service that assumes the role.
   * @default kafkaconnect.amazonaws.com for this account's connectors (the sinks run on MSK Connect)
   */
  readonly assumedBy?: iam.IPrincipal;
}

/**
 * The role an S3 sink connector writes its zone's raw layer with: put-only, under its own topics'
 * prefixes, with the zone key. Created with the lake so the zone key's allow-list names it; the
 * data-plane stack hands it to the Connect task.
 */
export class SinkWriterRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: SinkWriterRoleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      // Confused-deputy guard: only MSK Connect connectors of this account and region.
      assumedBy: props.assumedBy ?? mskConnectPrincipal(Stack.of(scope)),
      description: `${props.principal}: writes the ${props.layer} layer of zone ${props.zone.zone}`,
    });
    props.zone.grantWriteUnder(props.principal, this.role, props.layer, props.prefixes);

    const bucket = props.zone.bucket(props.layer);
    acknowledgeWildcard(
      this.role,
      'Action::s3:Abort*',
      'bucket.grantPut: lets the sink abort its own failed multipart uploads under its topic prefixes',
    );
    acknowledgeWildcard(
      this.role,
      'Action::kms:GenerateDataKey*',
      'Encrypting new objects with the zone key, whose policy admits only cleared roles',
    );
    acknowledgeWildcard(
      this.role,
      'Action::kms:ReEncrypt*',
      "Zone key grant; the key's policy admits only roles cleared for the zone",
    );
    for (const prefix of props.prefixes) {
      acknowledgeWildcard(
        this.role,
        wildcardResourceFinding(this.role, bucket.arnForObjects(`${prefix}*`)),
        `Objects under topic prefix ${prefix}, which this sink writes`,
      );
    }
    acknowledgeNag(
      this.role.node.findChild('DefaultPolicy'),
      'NIST.800.53.R5-IAMNoInlinePolicy',
      "CDK grant methods write this role's least-privilege statements into a policy attached to this role only.",
    );
  }
}
