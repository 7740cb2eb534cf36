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

export type AclAction = 'create' | 'unchanged' | 'delete' | 'would-delete' | 'kept';

export interface AclPlanItem {
  readonly acl: AclBinding;
  readonly action: AclAction;
  readonly reason?: string;
}

export interface PolicyReport {
  /** Violations in the model's own ACLs: block any write. */
  readonly desired: readonly PolicyViolation[];
  /** Violations in the ACLs the cluster would have after this plan (live ones the plan cannot remove). */
  readonly live: readonly PolicyViolation[];
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
  readonly summary: PlanSummary;
  /** Admin calls made to read the cluster, per kafkajs admin method (set by planModel). */
  readonly adminRequests?: Readonly<Record<string, number>>;
}

export interface PlanSummary {
  readonly topics: Readonly<Record<TopicAction, number>>;
  readonly acls: Readonly<Record<AclAction, number>>;
  readonly refusals: number;
  readonly policyViolations: number;
  /** Writes an apply would make. */
  readonly pendingChanges: number;
}

export type StepStatus = 'done' | 'failed' | 'not-attempted';

export interface ExecutedStep {
  readonly operation:
    'createTopics' | 'createPartitions' | 'alterConfigs' | 'createAcls' | 'deleteAcls' | 'deleteTopics';
  readonly target: string;
  readonly status: StepStatus;
  readonly error?: string;
}

export interface ApplyReport {
  readonly plan: Plan;
  readonly outcome: 'applied' | 'no-changes' | 'refused' | 'policy-violation' | 'partial-failure';
  readonly steps: readonly ExecutedStep[];
  readonly adminRequests: Readonly<Record<string, number>>;
  readonly seconds: number;
}

export interface VerifyReport {
  readonly plan: Plan;
  readonly drift: readonly string[];
  readonly violations: readonly PolicyViolation[];
  readonly adminRequests: Readonly<Record<string, number>>;
}
