/**
 * In-memory sources for the HTTP-layer tests, seeded with every name the model derives (MNPI
 * ones included) so that any leak through the API shows up in a response. The real sources are
 * exercised by the integration tests against the local stack.
 */
import { generateKeyPairSync } from 'node:crypto';
import {
  debeziumConnectorName,
  deriveMnpiNames,
  deriveSinks,
  deriveTopics,
  loadPlatformModel,
  tablesOf,
  type AclBinding,
  type PlatformModel,
} from '@lakewall/platform-model';
import { createLocalJWKSet, importJWK, SignJWT, type JWK } from 'jose';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app';
import type { SecurityOptions } from '../src/plugins/external/security';
import type { Role } from '../src/domain/caller';
import { mintToken } from '../src/domain/mint';
import { tokenVerifier } from '../src/domain/tokens';
import { Wall } from '../src/domain/wall';
import { TemplatesAccessProof } from '../src/sources/access-proof';
import type { AuditEvent, Finding, Sources } from '../src/sources/types';
import type { ConnectorStatus } from '@lakewall/connect-rest';
import type { Plan } from '@lakewall/topic-admin';

export const ISSUER = 'urn:test:issuer';
export const AUDIENCE = 'urn:test:admin-api';
export const model: PlatformModel = loadPlatformModel();
export const ENV = 'local' as const;

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const privateJwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test', alg: 'ES256' } as JWK;
const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'test', alg: 'ES256' } as JWK;
export const verify = tokenVerifier(createLocalJWKSet({ keys: [publicJwk] }), {
  issuer: ISSUER,
  audience: AUDIENCE,
});

export function token(
  role: Role | Role[],
  mnpi: boolean,
  opts: { subject?: string; ttlSeconds?: number; issuer?: string; audience?: string } = {},
): Promise<string> {
  return mintToken(privateJwk, {
    subject: opts.subject ?? `${[role].flat().join('+')}${mnpi ? '-cleared' : ''}@example.test`,
    roles: [role].flat(),
    mnpi,
    ttlSeconds: opts.ttlSeconds ?? 600,
    issuer: opts.issuer ?? ISSUER,
    audience: opts.audience ?? AUDIENCE,
  });
}

/** A correctly signed token with any claims (to test what the API makes of odd claim values). */
export async function rawToken(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: 'test' })
    .setSubject('odd-claims@example.test')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setExpirationTime('10m')
    .sign(await importJWK(privateJwk, 'ES256'));
}

/** Every MNPI name of the model, the strings that must never reach a caller without clearance. */
export function mnpiNames(): string[] {
  const n = deriveMnpiNames(model, ENV);
  return [...n.topics, ...n.tables, ...n.columns, ...n.principals, ...n.groups, ...n.connectors];
}

/**
 * True when `text` contains `name` not as part of a longer word: `cdc.trades.mnpi-value` contains
 * `cdc.trades.mnpi` and `trades`, while `tradesman` contains neither.
 */
export function containsName(text: string, name: string): boolean {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9])${esc}($|[^A-Za-z0-9])`).test(text);
}

export interface Fakes {
  sources: Sources;
  audit: AuditEvent[];
  paused: Set<string>;
  findings: Finding[];
  configs: Map<string, Record<string, string>>;
}

const running = (name: string, state = 'RUNNING'): ConnectorStatus => ({
  name,
  connector: { state, worker_id: '127.0.0.1:8083' },
  tasks: [
    {
      id: 0,
      state,
      worker_id: '127.0.0.1:8083',
      trace:
        state === 'FAILED'
          ? `org.apache.kafka.connect.errors.ConnectException: ${name} failed password=hunter2`
          : undefined,
    },
  ],
});

const emptyPlan: Plan = {
  env: ENV,
  managedPrefix: 'cdc.',
  allowDelete: false,
  topics: [],
  acls: [],
  policy: { desired: [], live: [] },
  drift: [],
  summary: {
    topics: { create: 0, update: 0, unchanged: 0, delete: 0, 'would-delete': 0 },
    acls: { create: 0, unchanged: 0, delete: 0, 'would-delete': 0, kept: 0, revoke: 0, 'would-revoke': 0 },
    refusals: 0,
    policyViolations: 0,
    pendingChanges: 0,
    blockedDeletions: 0,
    drift: 0,
  },
};

export function fakes(opts: { withOptional?: boolean; auditFails?: boolean } = {}): Fakes {
  const topics = [
    ...deriveTopics(model, ENV).map((t) => t.name),
    '__consumer_offsets',
    model.kafka.connect.configTopic,
  ];
  const sinks = deriveSinks(model, ENV);
  const connectors = [debeziumConnectorName(model), ...sinks.map((s) => s.connectorName)];
  const groups = [...sinks.map((s) => s.group), 'lakewall-monitor', model.kafka.connect.groupId];
  const audit: AuditEvent[] = [];
  const paused = new Set<string>();
  const configs = new Map<string, Record<string, string>>(topics.map((t) => [t, {}]));
  const mnpiTopic = deriveTopics(model, ENV).find((t) => t.zone === 'mnpi')!.name;
  const findings: Finding[] = [
    {
      id: 'f-1',
      zone: 'public',
      kind: 'mnpi-column',
      topic: 'cdc.reference_data.public',
      state: 'open',
      firstSeen: '2026-01-01T00:00:00Z',
      lastSeen: '2026-01-01T00:00:00Z',
      count: 1,
    },
  ];
  const acls: AclBinding[] = [
    {
      principal: 'User:sink-mnpi',
      host: '*',
      resourceType: 'TOPIC',
      resourceName: mnpiTopic,
      patternType: 'LITERAL',
      operation: 'READ',
      permission: 'ALLOW',
    },
  ];
  const kafka: Sources['kafka'] = {
    cluster: async () => ({
      clusterId: 'test-cluster',
      controller: 1,
      brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092 }],
    }),
    topicNames: async () => [...topics],
    partitions: async (t) =>
      topics.includes(t)
        ? [{ partition: 0, leader: 1, replicas: [1], isr: [1], earliestOffset: '0', latestOffset: '42' }]
        : undefined,
    configs: async (t) =>
      topics.includes(t)
        ? [
            {
              name: 'retention.ms',
              value: '604800000',
              source: 'DYNAMIC_TOPIC_CONFIG',
              isDefault: false,
              isSensitive: false,
              readOnly: false,
            },
            {
              name: 'sasl.secret',
              value: 'shh',
              source: 'DYNAMIC_TOPIC_CONFIG',
              isDefault: false,
              isSensitive: true,
              readOnly: false,
            },
            ...Object.entries(configs.get(t) ?? {}).map(([name, value]) => ({
              name,
              value,
              source: 'DYNAMIC_TOPIC_CONFIG',
              isDefault: false,
              isSensitive: false,
              readOnly: false,
            })),
          ]
        : undefined,
    alterTopicConfigs: async (t, set, validateOnly) => {
      if (set['segment.ms'] === '1') throw new Error(`Invalid value 1 for configuration segment.ms on ${t}`);
      if (!validateOnly) configs.set(t, { ...configs.get(t), ...set });
    },
    groups: async () =>
      groups.map((groupId) => ({
        groupId,
        protocolType: groupId === model.kafka.connect.groupId ? 'connect' : 'consumer',
      })),
    group: async (g) =>
      groups.includes(g)
        ? {
            groupId: g,
            state: 'Stable',
            protocolType: 'consumer',
            protocol: 'range',
            members: [
              {
                memberId: 'm-1',
                clientId: 'c-1',
                host: '/127.0.0.1',
                assignment: Object.fromEntries(topics.map((t) => [t, [0]])),
              },
            ],
            offsets: topics.map((topic) => ({ topic, partition: 0, offset: '10' })),
          }
        : undefined,
    acls: async () => acls,
  };
  const sources: Sources = {
    kafka,
    connect: {
      listConnectors: async () => [...connectors],
      connectorStatus: async (n) =>
        connectors.includes(n) ? running(n, paused.has(n) ? 'PAUSED' : 'RUNNING') : undefined,
      connectorConfig: async (n) =>
        connectors.includes(n)
          ? { 'connector.class': 'x', 'consumer.override.sasl.jaas.config': 'secret stuff', name: n }
          : undefined,
      pauseConnector: async (n) => void paused.add(n),
      resumeConnector: async (n) => void paused.delete(n),
      restartConnector: async (n) => running(n),
    },
    registry: {
      subjects: async () => topics.map((t) => `${t}-value`),
      versions: async (s) => (s.endsWith('-value') ? [1] : undefined),
      version: async (s) =>
        s.endsWith('-value')
          ? { id: 1, version: 1, schemaType: 'AVRO', schema: '{"type":"string"}' }
          : undefined,
      checkCompatibility: async (s) => (s.endsWith('-value') ? { is_compatible: true } : undefined),
    },
    engine: {
      plan: async () => emptyPlan,
      apply: async () => ({
        plan: emptyPlan,
        outcome: 'no-changes',
        revocation: { violations: [], revoked: 0, failed: 0, attempted: false },
        steps: [],
        adminRequests: {},
        seconds: 0,
      }),
      policy: async () => ({ desired: [], live: [], drift: [] }),
    },
    audit: {
      append: async (e) => {
        if (opts.auditFails) throw new Error('audit topic unavailable');
        audit.push(e);
      },
      recent: async (limit) => [...audit].reverse().slice(0, limit),
    },
    ...(opts.withOptional
      ? {
          lag: {
            groupLag: async (g) =>
              groups.includes(g)
                ? {
                    groupId: g,
                    partitions: topics.map((topic) => ({
                      topic,
                      partition: 0,
                      committedOffset: '10',
                      logEndOffset: '42',
                      lag: 32,
                    })),
                  }
                : undefined,
            allGroupLag: async () =>
              groups.map((g) => ({
                groupId: g,
                partitions: topics.map((topic) => ({
                  topic,
                  partition: 0,
                  committedOffset: '10',
                  logEndOffset: '42',
                  lag: 32,
                })),
              })),
          },
          findings: {
            findings: async () => findings,
            acknowledge: async (id) => {
              const f = findings.find((x) => x.id === id);
              if (!f) return undefined;
              Object.assign(f, { state: 'acknowledged' });
              return f;
            },
            pausedByMonitor: async () => true,
          },
          // The real access proof over these ACLs (no templates: the Kafka plane alone).
          access: new TemplatesAccessProof(model, ENV, kafka, { ttlMs: 0 }),
          lake: {
            tables: async () =>
              tablesOf(model).map((t) => ({
                zone: t.classification,
                layer: 'raw',
                table: t.name,
                snapshots: 3,
                rowCount: 10,
              })),
          },
        }
      : {}),
  };
  return { sources, audit, paused, findings, configs };
}

/**
 * The app on in-memory sources. Event-loop load shedding is off unless a test asks for it: on a
 * busy machine Jest's event-loop histogram can go a whole interval without a sample, which
 * under-pressure reads as infinite delay (the shedding test sets its own threshold).
 */
export async function testApp(f: Fakes = fakes(), security: SecurityOptions = {}): Promise<FastifyInstance> {
  return buildApp({
    ctx: { env: ENV, model, wall: new Wall(model, ENV), sources: f.sources },
    verify,
    security: { maxEventLoopDelayMs: 0, ...security },
  });
}
