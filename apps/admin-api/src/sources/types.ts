/**
 * What the API reads and drives, as small typed interfaces injected into the app. The real
 * implementations talk to Kafka, Kafka Connect, the schema registry, the topic engine, the lag
 * collector, the findings topic and the lake reader. A deployment without Kafka Connect's REST API
 * or one of the last three (on AWS: no Connect REST API, no lake reader) answers 503
 * `source_not_configured` on their routes (never made-up data).
 */
import type { AccessReport } from '@lakewall/access-proof';
import type { ApplyReport, Plan, PolicyViolation } from '@lakewall/topic-admin';
import type { ConnectorStatus } from '@lakewall/connect-rest';
import type { AclBinding, ZoneName } from '@lakewall/platform-model';

export interface BrokerInfo {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

export interface ClusterInfo {
  readonly clusterId: string;
  readonly controller: number | null;
  readonly brokers: readonly BrokerInfo[];
}

export interface PartitionInfo {
  readonly partition: number;
  readonly leader: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly earliestOffset: string;
  readonly latestOffset: string;
}

export interface TopicConfigEntry {
  readonly name: string;
  /** Null for a sensitive config the broker does not reveal. */
  readonly value: string | null;
  readonly source: string;
  readonly isDefault: boolean;
  readonly isSensitive: boolean;
  readonly readOnly: boolean;
}

export interface GroupSummary {
  readonly groupId: string;
  readonly protocolType: string;
}

export interface GroupMember {
  readonly memberId: string;
  readonly clientId: string;
  readonly host: string;
  /** Topic -> partitions, decoded for consumer-protocol groups only. */
  readonly assignment: Readonly<Record<string, readonly number[]>>;
}

export interface GroupDetail {
  readonly groupId: string;
  readonly state: string;
  readonly protocolType: string;
  readonly protocol: string;
  readonly members: readonly GroupMember[];
  readonly offsets: readonly { topic: string; partition: number; offset: string }[];
}

export interface KafkaReader {
  cluster(): Promise<ClusterInfo>;
  topicNames(): Promise<string[]>;
  /** Undefined when the topic does not exist (or the service principal may not describe it). */
  partitions(topic: string): Promise<PartitionInfo[] | undefined>;
  configs(topic: string): Promise<TopicConfigEntry[] | undefined>;
  /** Sets topic-level configs, keeping the other dynamic ones; validateOnly asks the broker to check only. */
  alterTopicConfigs(
    topic: string,
    set: Readonly<Record<string, string>>,
    validateOnly: boolean,
  ): Promise<void>;
  groups(): Promise<GroupSummary[]>;
  /** Every ACL binding on the cluster. */
  acls(): Promise<AclBinding[]>;
  group(groupId: string): Promise<GroupDetail | undefined>;
}

export interface ConnectApi {
  listConnectors(): Promise<string[]>;
  connectorStatus(name: string): Promise<ConnectorStatus | undefined>;
  connectorConfig(name: string): Promise<Record<string, string> | undefined>;
  pauseConnector(name: string): Promise<void>;
  resumeConnector(name: string): Promise<void>;
  restartConnector(
    name: string,
    opts: { includeTasks?: boolean; onlyFailed?: boolean },
  ): Promise<ConnectorStatus | undefined>;
}

export interface CompatibilityResult {
  readonly is_compatible: boolean;
  readonly messages?: readonly string[];
}

export interface RegistryApi {
  subjects(): Promise<string[]>;
  /** Undefined when the subject does not exist. */
  versions(subject: string): Promise<number[] | undefined>;
  version(
    subject: string,
    version: number | 'latest',
  ): Promise<{ id: number; version: number; schemaType: string; schema: string } | undefined>;
  checkCompatibility(
    subject: string,
    candidate: { schema: string; schemaType: string },
  ): Promise<CompatibilityResult | undefined>;
}

export interface TopicEngine {
  plan(): Promise<Plan>;
  apply(): Promise<ApplyReport>;
  /** The model's own policy result (no cluster needed) and the live one. */
  policy(): Promise<{
    desired: readonly PolicyViolation[];
    live: readonly PolicyViolation[];
    drift: readonly string[];
  }>;
}

/**
 * A backing source failed or could not answer in time; its message stays in the service log (it
 * can name resources) and the caller gets 502 `upstream_unavailable`.
 */
export class SourceUnavailableError extends Error {
  override readonly name = 'SourceUnavailableError';
}

/** Per-partition lag of one group, as the lag library computes it. */
export interface GroupLag {
  readonly groupId: string;
  /** Burrow-style status (OK, WARN, STALL, STOP, REWIND, ERR) and member count, when collected. */
  readonly status?: string;
  readonly members?: number;
  /** When the snapshot this comes from was collected. */
  readonly collectedAt?: string;
  readonly partitions: readonly {
    readonly topic: string;
    readonly partition: number;
    readonly committedOffset: string | null;
    readonly logEndOffset: string;
    readonly lag: number;
    readonly timeLagSeconds?: number;
  }[];
}

export interface LagSource {
  groupLag(groupId: string): Promise<GroupLag | undefined>;
  allGroupLag(): Promise<GroupLag[]>;
}

export interface Finding {
  readonly id: string;
  readonly zone: ZoneName;
  readonly kind: string;
  readonly topic: string;
  readonly table?: string;
  /** Field names involved (MNPI column names among them: findings are for cleared callers only). */
  readonly fields?: readonly string[];
  readonly state: 'open' | 'acknowledged';
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly count: number;
  readonly acknowledged?: { readonly by: string; readonly reason: string; readonly at: string };
}

export interface FindingsSource {
  findings(): Promise<Finding[]>;
  acknowledge(id: string, by: string, reason: string): Promise<Finding | undefined>;
  /** True when the monitor paused this connector (so resuming it is the admin's call). */
  pausedByMonitor(connector: string): Promise<boolean>;
}

export interface LakeTable {
  readonly zone: ZoneName;
  readonly layer: string;
  readonly table: string;
  readonly snapshots: number;
  readonly currentSnapshotId?: string;
  readonly lastCommitAt?: string;
  readonly rowCount?: number;
}

export interface LakeSource {
  tables(): Promise<LakeTable[]>;
}

export interface AuditEvent {
  readonly at: string;
  readonly requestId: string;
  readonly actor: string;
  readonly role: string | null;
  readonly mnpiCleared: boolean;
  readonly action: string;
  readonly resource: { readonly kind: string; readonly name?: string };
  readonly classification: ZoneName | null;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly reason?: string;
  readonly phase: 'attempt' | 'result' | 'denied';
  readonly result: { readonly status: number; readonly code?: string };
}

export interface AuditLog {
  append(event: AuditEvent): Promise<void>;
  /** Most recent events first, newest `limit`. Undefined when the log cannot be read here. */
  recent?(limit: number): Promise<AuditEvent[]>;
}

/** The access proof of this environment: the AWS half from the deployed templates, Kafka from live ACLs. */
export interface AccessProofSource {
  report(): Promise<AccessReport>;
}

export interface Sources {
  readonly kafka: KafkaReader;
  /** Kafka Connect's REST API; none on AWS (MSK Connect has no such API): the connector routes answer 503. */
  readonly connect?: ConnectApi;
  readonly registry: RegistryApi;
  readonly engine: TopicEngine;
  readonly audit: AuditLog;
  readonly lag?: LagSource;
  readonly findings?: FindingsSource;
  readonly lake?: LakeSource;
  readonly access?: AccessProofSource;
}
