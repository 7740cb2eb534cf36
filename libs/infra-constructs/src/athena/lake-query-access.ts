import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { LakeCatalog } from '../catalog/lake-catalog';
import type { LakeZone } from '../lake/lake-zone';
import { acknowledgeNag } from '../nag/acknowledge';
import { acknowledgeWildcard, wildcardResourceFinding } from '../nag/wildcard-findings';
import { AthenaWorkgroup } from './athena-workgroup';
import { HumanRole, type HumanTrust } from './human-role';

/** What one human role may query (model: deriveAthenaAccess). */
export interface QueryAccessSpec {
  readonly principal: string;
  readonly description: string;
  readonly workgroup: string;
  readonly mfa: boolean;
  readonly buckets: readonly { readonly zone: string; readonly layer: string }[];
  readonly glueDatabases: readonly string[];
}

export interface LakeQueryAccessProps {
  readonly access: QueryAccessSpec;
  /** The lake's zones by name. */
  readonly zones: ReadonlyMap<string, LakeZone>;
  readonly catalog: LakeCatalog;
  /**
   * Zone whose results bucket and key hold this workgroup's query results: the most restricted zone
   * the role reads, since a result can contain anything the query read.
   */
  readonly resultsZone: string;
  /** Who may assume the role (model: deriveHumanAccess). */
  readonly trust: HumanTrust;
}

/**
 * One human role with its Athena workgroup, granted exactly the model's buckets (read), their zone
 * keys (decrypt), their Glue databases and tables (read), its workgroup (query) and its own prefix
 * of the results bucket. Nothing else: in particular no grant ever names a zone the model does not
 * list for the role, and LakeZone refuses zones the principal is not cleared for.
 */
export class LakeQueryAccess extends Construct {
  readonly role: iam.Role;
  readonly workgroup: AthenaWorkgroup;

  constructor(scope: Construct, id: string, props: LakeQueryAccessProps) {
    super(scope, id);
    const { access } = props;
    const zoneOf = (zone: string): LakeZone => {
      const found = props.zones.get(zone);
      if (!found)
        throw new Error(
          `LakeQueryAccess ${this.node.path}: ${access.principal} needs zone '${zone}', which the lake does not have`,
        );
      return found;
    };
    if (!access.buckets.some((b) => b.zone === props.resultsZone)) {
      throw new Error(
        `LakeQueryAccess ${this.node.path}: resultsZone '${props.resultsZone}' is not a zone ${access.principal} reads`,
      );
    }

    this.role = new HumanRole(this, 'Human', {
      ...props.trust,
      principal: access.principal,
      description: access.description,
      mfa: access.mfa,
    }).role;
    const results = zoneOf(props.resultsZone);
    const resultsPrefix = `${access.workgroup}/`;
    this.workgroup = new AthenaWorkgroup(this, 'Workgroup', {
      name: access.workgroup,
      description: access.description,
      resultsBucket: results.queryResults.bucket,
      resultsPrefix,
      resultsKey: results.key,
    });

    for (const b of access.buckets) zoneOf(b.zone).grantRead(access.principal, this.role, b.layer);
    props.catalog.grantRead(this.role, access.glueDatabases);
    this.workgroup.grantQuery(this.role);
    results.grantQueryResults(access.principal, this.role, resultsPrefix);

    this.acknowledgeGrantWildcards(props, results, resultsPrefix);
  }

  /** The wildcards CDK's grant methods write, each acknowledged with what it is bounded to. */
  private acknowledgeGrantWildcards(
    props: LakeQueryAccessProps,
    results: LakeZone,
    resultsPrefix: string,
  ): void {
    const role = this.role;
    const actions: Record<string, string> = {
      's3:GetObject*':
        'bucket.grantRead: object-read actions, on the lake buckets the model grants this role only',
      's3:GetBucket*':
        'bucket.grantRead: bucket metadata reads, on the lake buckets the model grants this role only',
      's3:List*': 'bucket.grantRead: listing, on the lake buckets the model grants this role only',
    };
    for (const [action, reason] of Object.entries(actions))
      acknowledgeWildcard(role, `Action::${action}`, reason);

    for (const b of props.access.buckets) {
      const bucket = props.zones.get(b.zone)!.bucket(b.layer);
      acknowledgeWildcard(
        role,
        wildcardResourceFinding(role, bucket.arnForObjects('*')),
        `Objects of the ${b.layer} ${b.zone} bucket, which the model grants this role`,
      );
    }
    acknowledgeWildcard(
      role,
      wildcardResourceFinding(role, results.queryResults.bucket.arnForObjects(`${resultsPrefix}*`)),
      "The role's own prefix of the query-results bucket",
    );
    for (const db of props.access.glueDatabases) {
      acknowledgeWildcard(
        role,
        wildcardResourceFinding(role, props.catalog.tablesArn(db)),
        `Every table of Glue database ${db}, which the model grants this role`,
      );
    }
    acknowledgeNag(
      role.node.findChild('DefaultPolicy'),
      'NIST.800.53.R5-IAMNoInlinePolicy',
      "CDK grant methods write this role's least-privilege statements into a policy attached to this role only.",
    );
  }
}
