import * as fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { KafkaConfig } from 'kafkajs';
import { ConnectRestClient } from '@lakewall/connect-rest';
import { auditReaderGroupPrefix, deriveAuditTopic, type PlatformModel } from '@lakewall/platform-model';
import { kafkaClient } from '@lakewall/topic-admin';
import { buildApp } from './app';
import type { AdminApiConfig } from './config';
import { jwksFrom, tokenVerifier } from './domain/tokens';
import { Wall } from './domain/wall';
import { KafkaAuditLog } from './sources/kafka-audit';
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
  /** Extra sources (lag, findings, lake) when their libraries are wired in. */
  readonly optional?: Pick<Sources, 'lag' | 'findings' | 'lake'>;
}

/** Connects the real sources, builds the app and owns their lifetime (closed with the app). */
export async function createServer(config: AdminApiConfig, deps: ServerDeps): Promise<FastifyInstance> {
  const kafka = kafkaClient({ clientId: 'lakewall-admin-api', ...deps.kafka });
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await admin.connect();
  await producer.connect();
  const sources: Sources = {
    kafka: new KafkajsReader(admin),
    connect: new ConnectRestClient({
      baseUrl: config.connectUrl,
      ...(config.connectUsername && config.connectPassword
        ? { auth: { username: config.connectUsername, password: config.connectPassword } }
        : {}),
    }),
    registry: new RegistryClient(config.registryUrl),
    engine: topicEngine(deps.model, config.env, deps.kafka, deps.applierKafka),
    audit: new KafkaAuditLog(kafka, producer, admin, {
      topic: deriveAuditTopic(deps.model, config.env).name,
      readerGroupPrefix: auditReaderGroupPrefix(deps.model, SERVICE_PRINCIPAL),
    }),
    ...deps.optional,
  };
  const keys = config.jwksUrl
    ? jwksFrom({ url: config.jwksUrl })
    : jwksFrom({ jwks: JSON.parse(fs.readFileSync(config.jwksFile ?? '', 'utf8')) });
  const app = await buildApp({
    ctx: { env: config.env, model: deps.model, wall: new Wall(deps.model, config.env), sources },
    verify: tokenVerifier(keys, { issuer: config.issuer, audience: config.audience }),
    security: {
      rateLimitPerMinute: config.rateLimitPerMinute,
      maxEventLoopDelayMs: config.maxEventLoopDelayMs,
    },
    logger: { level: config.logLevel },
  });
  app.addHook('onClose', async () => {
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  });
  return app;
}
