import { z } from 'zod';
import { EnvironmentAccess } from './access-schema';

/**
 * The schema of platform/platform.yaml. Structural rules live here; rules that relate one part of
 * the model to another (clearance bounds grants, keys are columns, ...) live in validate.ts so that
 * every violation is reported, not only the first.
 */

export const ZONES = ['mnpi', 'public'] as const;
export const LAYERS = ['raw', 'curated', 'analytics'] as const;
export const ENVIRONMENTS = ['local', 'dev', 'staging', 'prod'] as const;

export const Zone = z.enum(ZONES);
export const Layer = z.enum(LAYERS);
export const EnvName = z.enum(ENVIRONMENTS);

const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'must be a lower-case SQL identifier (letters, digits, underscores)');
const principalName = z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes');
const topicName = z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'is not a legal Kafka topic name');
const kafkaConfigs = z.record(z.string(), z.string());

/** PostgreSQL column types the platform knows how to carry into the lake. */
export const ColumnType = z
  .string()
  .regex(
    /^(bigint|integer|smallint|boolean|text|date|timestamptz|timestamp|double precision|numeric\(\d+,\d+\)|uuid|jsonb)$/,
    'is not a supported column type (bigint, integer, smallint, boolean, text, date, timestamp, timestamptz, double precision, numeric(p,s), uuid, jsonb)',
  );

export const Column = z.strictObject({
  name: identifier,
  type: ColumnType,
  nullable: z.boolean().default(false),
  /** Set only when a column is more restricted than its table. */
  classification: Zone.optional(),
});

/**
 * A schema registry subject's compatibility rule, as the Confluent API names it: which new schema
 * versions the registry accepts for a CDC topic's key and value subjects.
 */
export const SchemaCompatibility = z.enum([
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
  'NONE',
]);

/** How CDC records are written to Kafka: Avro through the schema registry, or schemaless JSON. */
export const WireFormat = z.enum(['avro', 'json']);

export const Table = z.strictObject({
  classification: Zone,
  description: z.string().min(1),
  primaryKey: z.array(identifier).min(1),
  columns: z.array(Column).min(1),
  /**
   * The compatibility rule of the table's CDC subjects (key and value) where the wire format is
   * Avro. @default BACKWARD (consumers on the new schema still read what is already in the topic)
   */
  schemaCompatibility: SchemaCompatibility.default('BACKWARD'),
});

const ZoneList = z.array(Zone).min(1);

export const KafkaGrants = z.strictObject({
  produce: ZoneList.optional(),
  consume: z
    .strictObject({ zones: ZoneList, group: principalName.or(z.string().regex(/^[a-z][a-z0-9._-]*$/)) })
    .optional(),
  describe: ZoneList.optional(),
  describeGroups: z.boolean().optional(),
  manageTopics: z.boolean().optional(),
  manageAcls: z.boolean().optional(),
  connectWorker: z.boolean().optional(),
  /**
   * DESCRIBE on every topic under the managed prefix (one PREFIXED grant), so the principal sees in
   * metadata a topic the model does not declare. Metadata only: no READ. MNPI clearance required.
   */
  describeManagedPrefix: z.boolean().optional(),
  /** Appends to the audit topic (kafka.auditTopic). */
  appendAudit: z.boolean().optional(),
  /** Reads the audit topic back, with throw-away groups under its own prefix. */
  readAudit: z.boolean().optional(),
  /** Appends findings and containments to the findings topic (kafka.findingsTopic): the monitor. */
  appendFindings: z.boolean().optional(),
  /** Reads the findings topic and appends acknowledgments to it, with groups under its own prefix. */
  reviewFindings: z.boolean().optional(),
  /** Changes topic-level configs of these zones' topics (an allow-list is enforced by the caller). */
  alterTopicConfigs: ZoneList.optional(),
  /**
   * Read-only analysis of the whole cluster's layout (a rebalance planner such as Cruise Control):
   * DESCRIBE and DESCRIBE_CONFIGS on the cluster and on every topic, the model's or not (a topic
   * outside the model still takes disk). Metadata only: no READ, and no ALTER anywhere, so the
   * principal can propose partition moves but never make one. MNPI clearance required.
   */
  analyzeCluster: z.boolean().optional(),
});

export const LakeGrants = z.strictObject({
  write: z.strictObject({ zones: ZoneList, layers: z.array(Layer).min(1) }).optional(),
  query: z.strictObject({ zones: ZoneList, layers: z.array(Layer).min(1), mfa: z.boolean() }).optional(),
});

export const Principal = z.strictObject({
  kind: z.enum(['service', 'human']),
  clearance: Zone,
  description: z.string().min(1),
  /** Environments the principal exists in; all of them when omitted. */
  environments: z.array(EnvName).min(1).optional(),
  kafka: KafkaGrants.optional(),
  lake: LakeGrants.optional(),
  /** Administers the customer-managed keys (policy, rotation, deletion) and never uses them. */
  administersKeys: z.boolean().optional(),
  /** Reads the audit trail, which holds query text and so may hold MNPI literals. */
  readsAuditTrail: z.boolean().optional(),
});

export const TopicClass = z.strictObject({
  description: z.string().min(1),
  partitions: z.number().int().min(1).max(1000),
  configs: kafkaConfigs.default({}),
});

const TopicClassOverride = z.strictObject({
  partitions: z.number().int().min(1).max(1000).optional(),
  configs: kafkaConfigs.optional(),
});

/** Fargate task sizes (CPU units and MiB) that AWS accepts together. */
const FARGATE_MEMORY_MIB: Readonly<Record<number, readonly [number, number]>> = {
  256: [512, 2048],
  512: [1024, 4096],
  1024: [2048, 8192],
  2048: [4096, 16384],
  4096: [8192, 30720],
};

/** One ECS service's size in an environment. */
export const ServiceSize = z
  .strictObject({
    cpu: z.union([z.literal(256), z.literal(512), z.literal(1024), z.literal(2048), z.literal(4096)]),
    memoryMiB: z.number().int().min(512),
    /** @default 1 */
    desiredCount: z.number().int().min(1).max(10).default(1),
  })
  .superRefine((s, ctx) => {
    const [min, max] = FARGATE_MEMORY_MIB[s.cpu]!;
    if (s.memoryMiB < min || s.memoryMiB > max) {
      ctx.addIssue({
        code: 'custom',
        path: ['memoryMiB'],
        message: `Fargate takes ${min} to ${max} MiB with ${s.cpu} CPU units`,
      });
    }
  });

/** The admin API of an environment: size, TLS certificate and the identity provider it trusts. */
export const AdminApiService = z.strictObject({
  size: ServiceSize,
  /**
   * The ACM certificate of the internal load balancer's HTTPS listener (issued by the firm's
   * private CA for the admin API's internal host name; the platform does not create CAs).
   */
  certificateArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/,
      'must be an ACM certificate ARN',
    ),
  /** The OIDC identity provider whose tokens the API accepts. */
  identity: z.strictObject({ issuer: z.url(), audience: z.string().min(1), jwksUrl: z.url() }),
  /** Requests per client address per 5 minutes above which AWS WAF blocks it. @default 1000 */
  wafRateLimitPer5Minutes: z.number().int().min(10).max(2_000_000_000).default(1000),
});

/** The data plane's ECS services in a cloud environment. */
export const EnvironmentServices = z.strictObject({
  monitor: ServiceSize,
  adminApi: AdminApiService,
  /** One Prometheus server (its TSDB on EFS has one writer): scrapes the monitor and MSK. */
  prometheus: z.strictObject({
    size: ServiceSize.refine((s) => s.desiredCount === 1, 'Prometheus runs one task (one TSDB writer)'),
    retentionDays: z.number().int().min(1).max(3650),
  }),
  /** Alertmanager: routes Prometheus alerts to the environment's alert topic. */
  alertmanager: z.strictObject({
    size: ServiceSize,
    /** Addresses subscribed to the alert topic. @default none */
    emails: z.array(z.email()).default([]),
  }),
  /** The schema registry (Apicurio, its storage in its own database on the RDS instance). */
  schemaRegistry: z.strictObject({ size: ServiceSize }),
  /**
   * Cruise Control, as a read-only analyst of the MSK cluster (proposals, never executions). One
   * task: its load model is built in memory from Prometheus, and two would disagree.
   */
  cruiseControl: z.strictObject({
    size: ServiceSize.refine((s) => s.desiredCount === 1, 'Cruise Control runs one task'),
  }),
});

export const Environment = z.strictObject({
  account: z
    .string()
    .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
    .optional(),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'is not an AWS region name'),
  availabilityZones: z.number().int().min(2).max(3).optional(),
  /** The VPC's address range; environments differ so they can be peered. */
  network: z
    .strictObject({
      cidr: z
        .string()
        .regex(/^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-4])$/, 'must be an IPv4 CIDR from /16 to /24'),
    })
    .optional(),
  /** Databases, keys and stacks refuse deletion: a teardown is a decision, never a side effect. */
  deletionProtection: z.boolean().default(false),
  kafka: z.strictObject({
    brokers: z.number().int().min(1),
    brokerInstanceType: z
      .string()
      .regex(/^kafka\.[a-z0-9]+\.[a-z0-9]+$/)
      .optional(),
    brokerStorageGiB: z.number().int().min(1).max(16384).optional(),
    replicationFactor: z.number().int().min(1),
    minInsyncReplicas: z.number().int().min(1),
    topicClasses: z.record(z.string(), TopicClassOverride).default({}),
    /**
     * The cluster this environment manages; the bootstrapper refuses any other. Cloud environments
     * name their stable bootstrap host (and may pin the cluster id once it exists); the local
     * environment uses the local stack's own cluster id.
     */
    cluster: z
      .strictObject({
        id: z
          .string()
          .regex(/^[A-Za-z0-9_-]{22}$/, 'must be a Kafka cluster id (22 base64url characters)')
          .optional(),
        bootstrapHost: z
          .string()
          .regex(
            /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/,
            'must be a DNS host name',
          )
          .optional(),
      })
      .optional(),
  }),
  database: z
    .strictObject({
      instanceClass: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+$/, 'must look like r6g.large'),
      multiAz: z.boolean(),
      allocatedStorageGiB: z.number().int().min(20),
      backupRetentionDays: z.number().int().min(1).max(35),
    })
    .optional(),
  lake: z.strictObject({
    retentionDays: z.number().int().min(1),
    /**
     * How often each zone's Iceberg sink commits (its insert-to-lake latency floor). Every commit is
     * a snapshot and small files: short intervals need compaction. @default 300000 (5 minutes)
     */
    commitIntervalMs: z.number().int().min(1000).max(3_600_000).default(300_000),
  }),
  /**
   * How Debezium writes and the sinks read CDC records: Avro in the Confluent wire format through
   * the schema registry, or schemaless JSON. @default avro
   */
  wireFormat: WireFormat.default('avro'),
  /** How long access logs, audit trails and service logs are kept. */
  audit: z.strictObject({ retentionDays: z.number().int().min(1) }).optional(),
  /** Who may assume each human role (cloud environments). */
  access: EnvironmentAccess.optional(),
  /**
   * Write-once storage: Object Lock (compliance mode) on the audit bucket and Vault Lock on the
   * backup vault, for the audit retention. Irreversible once deployed, so production only.
   * @default false
   */
  immutableRecords: z.boolean().default(false),
  /** The data plane's ECS services (cloud environments). */
  services: EnvironmentServices.optional(),
  /** The CDC routing monitor in this environment. */
  monitor: z
    .strictObject({
      /** Pause the public sink connector when a leak is found. On unless an environment opts out. */
      containment: z.boolean().default(true),
    })
    .default({ containment: true }),
});

/** The CDC routing monitor: who it runs as and the lag objectives it alerts on. */
export const MonitorSpecSchema = z.strictObject({
  /** The service principal the monitor authenticates as (its Kafka grants come from that principal). */
  principal: principalName,
  /** Consumer lag, in seconds, above which a known group's lag alert fires. */
  lagSloSeconds: z.strictObject({
    default: z.number().int().min(1),
    /** Per consumer group overrides; every key must be a group the model knows. */
    groups: z.record(z.string(), z.number().int().min(1)).default({}),
  }),
});

export const PlatformModelSchema = z.strictObject({
  version: z.literal(1),
  project: principalName,
  costCentre: z.string().min(1),
  kafka: z.strictObject({
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a full Kafka version such as 4.1.1'),
    managedTopicPrefix: topicName,
    /**
     * The brokers' super users (super.users): they bypass ACLs, so no model principal may take one
     * of these names, and the policy treats them as cleared and never impersonable.
     */
    superUsers: z.array(principalName).min(1),
    /**
     * The cluster lock every apply holds (a single-partition topic and a consumer group of this
     * name): two applies never write to one cluster at once, and a crashed holder's session expires.
     */
    applyLock: topicName,
    topicNaming: z
      .string()
      .refine((s) => s.includes('{table}') && s.includes('{zone}'), 'must contain {table} and {zone}'),
    connect: z.strictObject({
      principal: principalName,
      groupId: z.string().min(1),
      configTopic: topicName,
      offsetTopic: topicName,
      statusTopic: topicName,
    }),
    topicClasses: z.record(z.string(), TopicClass),
    /** The admin API's append-only audit log: it names MNPI resources, so it is an MNPI topic. */
    auditTopic: z.strictObject({ name: topicName, partitions: z.number().int().min(1).max(100) }),
    /**
     * The monitor's leak findings and their review (findings, containments, acknowledgments): they
     * name MNPI columns, so it is an MNPI topic.
     */
    findingsTopic: z.strictObject({ name: topicName, partitions: z.number().int().min(1).max(100) }),
  }),
  source: z.strictObject({
    engine: z.literal('postgres'),
    /** The PostgreSQL version RDS runs, major.minor. */
    engineVersion: z
      .string()
      .regex(/^1[3-8]\.\d+$/, 'must be a PostgreSQL major.minor version such as 16.13'),
    database: identifier,
    schema: identifier,
    debeziumRole: identifier,
    publication: identifier,
    slot: identifier,
    /** Debezium heartbeats: each one confirms the latest LSN, so an idle table never pins WAL. */
    heartbeat: z.strictObject({
      intervalMs: z.number().int().min(1000).max(600_000),
      topicPrefix: topicName,
      /**
       * A table of the model that Debezium writes to with each heartbeat (its action query): the
       * write puts WAL into this database, so the slot advances even when only other databases on
       * the instance write WAL (on RDS, they pin it otherwise). Public, one row, routed and granted
       * like any other table.
       */
      table: identifier.optional(),
    }),
  }),
  zones: z.strictObject({
    mnpi: z.strictObject({ description: z.string() }),
    public: z.strictObject({ description: z.string() }),
  }),
  layers: z.array(Layer).min(1),
  tables: z.record(identifier, Table),
  principals: z.record(principalName, Principal),
  monitor: MonitorSpecSchema,
  /**
   * The schema registry's storage: a database and login role of its own on the source PostgreSQL
   * (never the captured database), the same names locally and on RDS.
   */
  schemaRegistry: z.strictObject({ database: identifier, role: identifier }),
  /** Where the platform is delivered from: its deploy roles trust this repository only. */
  delivery: z
    .strictObject({
      github: z.strictObject({
        /** "<owner>/<name>" of the repository whose workflows deploy the platform. */
        repository: z
          .string()
          .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, 'must be <owner>/<name> of a GitHub repository'),
      }),
    })
    .optional(),
  environments: z.strictObject({
    local: Environment,
    dev: Environment,
    staging: Environment,
    prod: Environment,
  }),
});

export type ZoneName = z.infer<typeof Zone>;
export type LayerName = z.infer<typeof Layer>;
export type EnvName = z.infer<typeof EnvName>;
export type ColumnSpec = z.infer<typeof Column>;
export type SchemaCompatibilityName = z.infer<typeof SchemaCompatibility>;
export type WireFormatName = z.infer<typeof WireFormat>;
export type TableSpec = z.infer<typeof Table>;
export type PrincipalSpec = z.infer<typeof Principal>;
export type EnvironmentSpec = z.infer<typeof Environment>;
export type PlatformModel = z.infer<typeof PlatformModelSchema>;
