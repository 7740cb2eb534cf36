/** Shared vocabulary of the access proof: who, what, how, and the evaluated answer. */

export type Clearance = 'mnpi' | 'public' | 'unknown';

/** What a principal might do to MNPI. The verdict counts every one of them. */
export type AccessKind =
  /** read data: objects, query results, a secret's value, table metadata */
  | 'read'
  /** get MNPI objects still encrypted: one key-policy change away from reading them */
  | 'fetch'
  /** use a key directly to decrypt */
  | 'decrypt'
  /** run a query in an MNPI-capable Athena workgroup and fetch its results */
  | 'query'
  /** snapshot the source database and restore it somewhere it can read */
  | 'restore'
  /** change a bucket, key, secret or catalog policy, a key grant, a workgroup or a role's policies */
  | 'change-policy'
  /** become a principal cleared for MNPI (assume its role or pass it to a service) */
  | 'assume';

export const ACCESS_KINDS: readonly AccessKind[] = [
  'read',
  'fetch',
  'decrypt',
  'query',
  'restore',
  'change-policy',
  'assume',
];

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly unknown[] | unknown;
}

export interface NamedPolicy {
  readonly name: string;
  readonly policy: PolicyDocument;
}

/** A principal that can act in the account, from the templates or invented by the report. */
export interface AwsPrincipal {
  /** The model principal's name, the outsider's id, or the role's short logical id. */
  readonly id: string;
  readonly origin: 'template' | 'outsider';
  readonly arn: string;
  readonly clearance: Clearance;
  readonly description: string;
  readonly identityPolicies: readonly NamedPolicy[];
  readonly permissionBoundaries: readonly NamedPolicy[];
  /** Policies the evaluator could not see (AWS managed policies with no known document). */
  readonly unresolvedPolicies: readonly string[];
}

export type ProtectedKind =
  'bucket' | 'key' | 'glue-database' | 'glue-table' | 'workgroup' | 'secret' | 'database' | 'role';

/** An MNPI resource (or one treated as MNPI because nothing says otherwise). */
export interface ProtectedResource {
  /** `<kind>:<name>`, the same in every environment, e.g. `bucket:ZonemnpiRawBucket`. */
  readonly id: string;
  readonly kind: ProtectedKind;
  readonly arn: string;
  readonly description: string;
  /** Why the report treats it as MNPI. */
  readonly why: string;
  readonly checks: readonly AccessCheck[];
}

/** One AWS request, with the resource policy that guards it. */
export interface RequestSpec {
  readonly action: string;
  readonly resource: string;
  /** e.g. "key policy of ZonemnpiKey"; absent when the resource has no policy of its own. */
  readonly resourcePolicyName?: string;
  readonly resourcePolicy?: PolicyDocument;
  /** Context keys this request carries beyond the principal's (e.g. kms:ViaService). */
  readonly context?: Readonly<Record<string, string>>;
}

/** One way to get an access: every step must be allowed (e.g. s3:GetObject and then kms:Decrypt). */
export interface AccessCheck {
  readonly access: AccessKind;
  readonly steps: readonly RequestSpec[];
  /** For change-policy and assume: what the step unlocks, for the path ("then Decrypt"). */
  readonly then?: string;
}

export interface DecidingStatement {
  readonly effect: 'Allow' | 'Deny' | 'ImplicitDeny';
  readonly policyType: string;
  readonly policy: string;
  readonly statement?: string;
}

export interface StepResult {
  readonly action: string;
  readonly resource: string;
  readonly decision: 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
  readonly deciding: readonly DecidingStatement[];
}

export interface CheckResult {
  readonly access: AccessKind;
  readonly allowed: boolean;
  readonly steps: readonly StepResult[];
  readonly then?: string;
}

/** One cell of the AWS matrix: principal × resource × access, with and without MFA. */
export interface AwsCell {
  readonly plane: 'aws';
  readonly principal: string;
  readonly resource: string;
  readonly access: AccessKind;
  readonly mfa: boolean;
  readonly allowed: boolean;
  /** The check that allowed (or, when none did, the first one evaluated). */
  readonly via: readonly CheckResult[];
}

/** One cell of the Kafka matrix: principal × MNPI topic × operation. */
export interface KafkaCell {
  readonly plane: 'kafka';
  readonly principal: string;
  readonly resource: string;
  readonly operation: string;
  readonly allowed: boolean;
  readonly deciding: readonly string[];
}
