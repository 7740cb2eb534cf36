import * as fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { KafkaConfig } from 'kafkajs';
import { ConnectRestClient } from '@lakewall/connect-rest';
import type { LakeReader } from '@lakewall/lake-reader';
import {
  auditReaderGroupPrefix,
  deriveAuditTopic,
  deriveMonitorDeployment,
  findingsReaderGroupPrefix,
  type PlatformModel,
} from '@lakewall/platform-model';
import { kafkaClient } from '@lakewall/topic-admin';
import { buildApp } from './app';
import type { AdminApiConfig } from './config';
import { jwksFrom, tokenVerifier } from './domain/tokens';
import { Wall } from './domain/wall';
import { TemplatesAccessProof } from './sources/access-proof';
import { KafkaAuditLog } from './sources/kafka-audit';
import { KafkaFindings } from './sources/kafka-findings';
import { CollectorLagSource } from './sources/lag-source';
import { ReaderLakeSource } from './sources/lake-source';
import { KafkajsReader } from './sources/kafka-reader';
import { RegistryClient } from './sources/registry-client';
import { topicEngine } from './sources/topic-engine';
import type { Sources } from './sources/types';

/** The model principal the API runs as: its grants, the audit reader's group prefix among them. */
export const SERVICE_PRINCIPAL = 'admin-api';

export interface ServerDeps {
  readonly model: PlatformModel;
  /** The API's own principal. */
  readonly kafka: KafkaConfig;
  /** The topic manager's principal, for `topology/apply` only. */
  readonly applierKafka?: KafkaConfig;
  /** The lake reader; without one (on AWS, where the lake is read through Athena) the lake routes answer 503. */
  readonly lakeReader?: Pick<LakeReader, 'tables'>;
  /** How often consumer-group lag is collected. @default 5000 */
  readonly lagIntervalMs?: number;
}

/** Connects the real sources, builds the app and owns their lifetime (closed with the app). */
export async function createServer(config: AdminApiConfig, deps: ServerDeps): Promise<FastifyInstance> {
  const kafka = kafkaClient({ clientId: 'lakewall-admin-api', ...deps.kafka });
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await admin.connect();
  await producer.connect();
  const deployment = deriveMonitorDeployment(deps.model, config.env);
  const lag = CollectorLagSource.forModel(deps.model, config.env, admin, {
    intervalMs: deps.lagIntervalMs,
    onError: (e) => app.log.warn({ error: e.message }, 'lag collection failed'),
  });
  const findings = new KafkaFindings(kafka, producer, admin, {
    topic: deployment.findingsTopic,
    readerGroupPrefix: findingsReaderGroupPrefix(deps.model, SERVICE_PRINCIPAL),
    ...(deployment.containment && deployment.publicSinkConnector
      ? { containedSink: { connector: deployment.publicSinkConnector, zone: 'public' as const } }
      : {}),
  });
  await findings.start();
  const reader = new KafkajsReader(admin);
  const sources: Sources = {
    kafka: reader,
    // Without a Connect REST API (MSK Connect on AWS) the connector routes answer 503.
    ...(config.connectUrl
      ? {
          connect: new ConnectRestClient({
            baseUrl: config.connectUrl,
            ...(config.connectUsername && config.connectPassword
              ? { auth: { username: config.connectUsername, password: config.connectPassword } }
              : {}),
          }),
        }
      : {}),
    registry: new RegistryClient(config.registryUrl),
    engine: topicEngine(deps.model, config.env, deps.kafka, deps.applierKafka),
    audit: new KafkaAuditLog(kafka, producer, admin, {
      topic: deriveAuditTopic(deps.model, config.env).name,
      readerGroupPrefix: auditReaderGroupPrefix(deps.model, SERVICE_PRINCIPAL),
    }),
    lag,
    findings,
    ...(deps.lakeReader ? { lake: new ReaderLakeSource(deps.lakeReader, deps.model) } : {}),
    access: new TemplatesAccessProof(deps.model, config.env, reader, {
      templatesDir: config.accessTemplatesDir,
      expectedFile: config.accessExpectedFile,
    }),
  };

  const keys = config.jwksUrl
    ? jwksFrom({ url: config.jwksUrl })
    : jwksFrom({ jwks: JSON.parse(fs.readFileSync(config.jwksFile ?? '', 'utf8')) });
  const app = await buildApp({
    ctx: {
      env: config.env,
      model: deps.model,
      wall: new Wall(deps.model, config.env),
      sources,
    },
    verify: tokenVerifier(keys, { issuer: config.issuer, audience: config.audience }),
    security: {
      rateLimitPerMinute: config.rateLimitPerMinute,
      maxEventLoopDelayMs: config.maxEventLoopDelayMs,
    },
    logger: { level: config.logLevel },
  });
  // Started once the app exists: collection errors go to its log.
  lag.start();
  app.addHook('onClose', async () => {
    await lag.stop();
    await findings.stop();
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  });
  return app;
}
