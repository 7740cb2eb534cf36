import { Kafka, logLevel, type Admin, type KafkaConfig, type logCreator } from 'kafkajs';
import { silentLogger, type TopicAdminLogger } from '../logger';
import { countingAdmin } from './admin-ops';
import { describeKafkaError, KafkaAccessError } from './errors';

/** How long the first contact with a broker may take before the tool gives up, ms. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;

function kafkajsLogs(logger: TopicAdminLogger): logCreator {
  return () =>
    ({ level, log }) => {
      const { message, ...extra } = log;
      // kafkajs is noisy about retries; the engine reports failures itself.
      logger.debug({ kafkajs: true, level, ...extra }, message);
    };
}

export function kafkaClient(config: KafkaConfig, logger: TopicAdminLogger = silentLogger): Kafka {
  return new Kafka({
    clientId: 'lakewall-topic-bootstrapper',
    connectionTimeout: 3000,
    authenticationTimeout: 5000,
    requestTimeout: 30000,
    ...config,
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 2000, ...config.retry },
    logLevel: config.logLevel ?? logLevel.WARN,
    logCreator: config.logCreator ?? kafkajsLogs(logger),
  });
}

export function brokersOf(config: KafkaConfig): string[] {
  return Array.isArray(config.brokers) ? config.brokers : ['(dynamic brokers)'];
}

export function usernameOf(config: KafkaConfig): string | undefined {
  return (config.sasl as { username?: string } | undefined)?.username;
}

export interface Session {
  /** The client the session's admin belongs to (for the apply lock's consumer). */
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly counts: Record<string, number>;
  /** The id the cluster reports (describeCluster). */
  readonly clusterId: string;
  close(): Promise<void>;
}

export interface SessionOptions {
  readonly kafka: KafkaConfig;
  readonly logger?: TopicAdminLogger;
  /** Give up on the first contact (connect, authenticate, describe the cluster) after this long. */
  readonly connectTimeoutMs?: number;
}

/**
 * Connects and asks the cluster for its id, within a deadline: a broker that accepts connections
 * but never answers gives a clear error naming the endpoint, not minutes of kafkajs retries.
 */
export async function openSession(opts: SessionOptions): Promise<Session> {
  const timeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const brokers = brokersOf(opts.kafka);
  const client = kafkaClient(opts.kafka, opts.logger);
  const raw = client.admin();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new KafkaAccessError(
            `Kafka at ${brokers.join(',')} did not answer within ${timeoutMs / 1000}s (connect, authenticate and describe the cluster). ` +
              `Is this the broker's client listener, and is the broker healthy?`,
            'timeout',
          ),
        ),
      timeoutMs,
    );
  });
  try {
    const { clusterId } = await Promise.race([raw.connect().then(() => raw.describeCluster()), deadline]);
    const { admin, counts } = countingAdmin(raw);
    return { kafka: client, admin, counts, clusterId, close: () => raw.disconnect().catch(() => undefined) };
  } catch (err) {
    void raw.disconnect().catch(() => undefined);
    throw describeKafkaError(err, brokers, usernameOf(opts.kafka));
  } finally {
    clearTimeout(timer);
  }
}
