import type { AclBinding, DesiredTopic, EnvName } from '@lakewall/platform-model';
import type { PolicyViolation } from './policy/mnpi-policy';

/** A topic as the cluster has it. */
export interface LiveTopic {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /**
   * Topic-level dynamic configs (source DYNAMIC_TOPIC_CONFIG), i.e. what the legacy AlterConfigs call
   * would replace. A null value is a sensitive config the broker will not reveal.
   */
  readonly dynamicConfigs: Readonly<Record<string, string | null>>;
}

export interface ClusterState {
  /** The cluster id the brokers report (describeCluster), when read. */
  readonly clusterId?: string;
  /** Every topic name on the cluster (managed or not). */
  readonly topicNames: readonly string[];
  /** Details for the topics the plan cares about (managed prefix, or declared by the model). */
  readonly topics: ReadonlyMap<string, LiveTopic>;
  /** Every ACL binding on the cluster. */
  readonly acls: readonly AclBinding[];
}

export interface DesiredState {
  readonly env: EnvName;
  readonly managedPrefix: string;
  readonly topics: readonly DesiredTopic[];
  readonly acls: readonly AclBinding[];
  /**
   * "User:<name>" of every principal the model declares (in any environment): an ACL on the
   * cluster for one of them that the model does not declare for this environment is drift.
   */
  readonly modelPrincipals: readonly string[];
}

export interface ConfigChange {
  readonly name: string;
  /** Current topic-level value; undefined when the topic uses the broker default. */
  readonly from?: string | null;
  readonly to: string;
}

export type TopicAction = 'create' | 'update' | 'unchanged' | 'delete' | 'would-delete';

export interface TopicPlanItem {
  readonly topic: string;
  readonly action: TopicAction;
  readonly partitions: { readonly current?: number; readonly desired?: number };
  readonly replicationFactor: { readonly current?: number; readonly desired?: number };
  readonly configChanges: readonly ConfigChange[];
  /** Topic-level configs on the cluster the model does not declare: kept as they are, never reset. */
  readonly undeclaredConfigs: Readonly<Record<string, string | null>>;
  /** The complete dynamic config set an update sends (legacy AlterConfigs replaces the whole set). */
  readonly mergedConfigs?: Readonly<Record<string, string>>;
  /** Changes the bootstrapper refuses to make, each with the reason. */
  readonly refusals: readonly string[];
}

/**
 * - create / unchanged / delete / would-delete / kept: reconciliation of the ACLs the model owns;
 * - revoke / would-revoke: a live ACL that breaks the MNPI policy. With --allow-delete it is
 *   revoked first, before and independently of every other change; without, the exact revocation
 *   is shown.
 */
export type AclAction =
  'create' | 'unchanged' | 'delete' | 'would-delete' | 'kept' | 'revoke' | 'would-revoke';

export interface AclPlanItem {
  readonly acl: AclBinding;
  readonly action: AclAction;
  readonly reason?: string;
}

export interface PolicyReport {
  /** Violations in the model's own ACLs: block any write. */
  readonly desired: readonly PolicyViolation[];
  /** Violations the live cluster's ACLs cause now (with the model's own ACLs added). */
  readonly live: readonly PolicyViolation[];
}

export type DriftKind =
  | 'topic-missing'
  | 'topic-undeclared'
  | 'partitions'
  | 'replication-factor'
  | 'config'
  | 'config-undeclared'
  | 'acl-missing'
  | 'acl-undeclared';

/** One difference between the model and the cluster, structured; `message` is for people. */
export interface DriftItem {
  readonly kind: DriftKind;
  readonly topic?: string;
  readonly acl?: AclBinding;
  readonly config?: string;
  readonly current?: string | number | null;
  readonly desired?: string | number;
  readonly message: string;
}

export interface Plan {
  readonly env: EnvName;
  readonly managedPrefix: string;
  readonly allowDelete: boolean;
  /** Principal the plan runs as ("User:admin"), when known. */
  readonly runningPrincipal?: string;
  readonly topics: readonly TopicPlanItem[];
  readonly acls: readonly AclPlanItem[];
  readonly policy: PolicyReport;
  /** Every difference between the model and the cluster, whether or not this plan changes it. */
  readonly drift: readonly DriftItem[];
  readonly summary: PlanSummary;
  /** Admin calls made to read the cluster, per kafkajs admin method (set by planModel). */
  readonly adminRequests?: Readonly<Record<string, number>>;
}

export interface PlanSummary {
  readonly topics: Readonly<Record<TopicAction, number>>;
  readonly acls: Readonly<Record<AclAction, number>>;
  readonly refusals: number;
  readonly policyViolations: number;
  /** Writes an apply would make (with the plan's --allow-delete setting). */
  readonly pendingChanges: number;
  /** Deletions and revocations that only --allow-delete would make. */
  readonly blockedDeletions: number;
  readonly drift: number;
}

export type StepStatus = 'done' | 'failed' | 'not-attempted';

export type StepOperation =
  | 'revokeAcls'
  | 'createTopics'
  | 'createPartitions'
  | 'alterConfigs'
  | 'createAcls'
  | 'deleteAcls'
  | 'deleteTopics';

export interface ExecutedStep {
  readonly operation: StepOperation;
  readonly target: string;
  readonly status: StepStatus;
  readonly error?: string;
}

export type ApplyOutcome = 'applied' | 'no-changes' | 'refused' | 'policy-violation' | 'partial-failure';

export interface ApplyReport {
  readonly plan: Plan;
  /**
   * policy-violation: the model's own ACLs would leak (nothing written); refused: the plan holds a
   * change the bootstrapper will not make (nothing but revocations written); partial-failure: some
   * step failed; applied / no-changes: the cluster matches the model.
   */
  readonly outcome: ApplyOutcome;
  /** Live violations found, and what happened to the ACLs granting them. */
  readonly revocation: {
    readonly violations: readonly PolicyViolation[];
    readonly revoked: number;
    readonly failed: number;
    /** False without --allow-delete: the revocations were only shown. */
    readonly attempted: boolean;
  };
  readonly steps: readonly ExecutedStep[];
  readonly adminRequests: Readonly<Record<string, number>>;
  readonly seconds: number;
}

export interface VerifyReport {
  readonly plan: Plan;
  readonly drift: readonly DriftItem[];
  readonly violations: readonly PolicyViolation[];
  readonly adminRequests: Readonly<Record<string, number>>;
}
