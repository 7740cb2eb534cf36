/**
 * Wires the monitor together from the model and the config: the record checker over the public
 * topics, containment, the undeclared-topic watch, the lag collector, and the HTTP server.
 */
import type { Admin, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import {
  deriveMonitorDeployment,
  deriveRecordCheckRules,
  deriveSinks,
  type MonitorDeployment,
  type PlatformModel,
} from '@lakewall/platform-model';
import { LagCollector } from '@lakewall/lag-collector';
import { RecordChecker, RegistryAvroSource, type Finding } from '@lakewall/record-checker';
import type { MonitorConfig } from './config';
import { connectClientFor, kafkaConfigFor } from './connections';
import { Containment } from './containment';
import { FindingsRecorder } from './findings-recorder';
import { ConnectorWatch } from './connector-watch';
import { LeakConsumer, monitorKafka } from './leak-consumer';
import { createMetrics, type MonitorMetrics } from './metrics';
import { buildServer } from './server';
import { TopicWatch } from './topic-watch';

export interface RunningMonitor {
  readonly url: string;
  readonly deployment: MonitorDeployment;
  readonly metrics: MonitorMetrics;
  /** Graceful: stops consuming, commits what was checked, stops collecting, closes the server. */
  stop(): Promise<void>;
}

const RETRY_MS = 5000;

export async function startMonitor(
  model: PlatformModel,
  config: MonitorConfig,
  log: Logger,
): Promise<RunningMonitor> {
  const deployment = deriveMonitorDeployment(model, config.env);
  const rules = deriveRecordCheckRules(model, config.env);
  const kafka = monitorKafka(await kafkaConfigFor(config, deployment.principal), log);
  const admin: Admin = kafka.admin();
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false });
  const recorder = new FindingsRecorder(producer, deployment.findingsTopic);

  let collector: LagCollector | undefined;
  const connectClient = connectClientFor(config);
  const connectorWatch = connectClient
    ? new ConnectorWatch(
        connectClient,
        deriveSinks(model, config.env).map((s) => s.connectorName),
        log,
      )
    : undefined;
  const metrics = createMetrics({
    connectors: () => connectorWatch?.snapshot() ?? new Map(),
    lag: () => collector?.snapshot(),
    checkedTopics: deployment.checkedTopics,
    groups: deployment.groups,
    connector: deployment.publicSinkConnector,
  });
  const containment = new Containment({
    enabled: deployment.containment,
    connector: deployment.publicSinkConnector,
    client: connectClient,
    metrics,
    log,
    onContained: (connector, f) => recorder.contained(connector, f),
  });
  const checker = new RecordChecker(
    rules,
    config.registryUrl ? new RegistryAvroSource(config.registryUrl) : undefined,
  );
  // Logged once, with names and coordinates only: never a field value.
  const reportFinding = async (f: Finding) => {
    metrics.countFinding(f);
    // On record for review before anything else: if this throws, the record is checked again.
    await recorder.finding(f);
    log.warn(
      {
        finding: f.kind,
        topic: f.topic,
        table: f.table,
        partition: f.partition,
        offset: f.offset,
        fields: f.fields,
        reason: f.reason,
      },
      'finding',
    );
    await containment.contain(f);
  };
  const consumer = new LeakConsumer({
    kafka,
    group: deployment.group,
    topics: deployment.checkedTopics,
    checker,
    metrics,
    onFinding: reportFinding,
    log,
  });
  const watch = new TopicWatch(admin, rules, reportFinding, log);

  let stopped = false;
  let consumerStarted = false;
  let retryTimer: NodeJS.Timeout | undefined;
  // Kafka may not be reachable yet, or the bootstrapper may not have created the topics and ACLs:
  // keep trying; /readyz says what is missing meanwhile.
  let waitingFor: string | undefined = 'connecting to Kafka';
  let collecting = false;
  const connect = async (): Promise<void> => {
    try {
      if (!collecting) {
        await admin.connect();
        await producer.connect();
        collector = new LagCollector({
          admin,
          knownGroups: deployment.groups.map((g) => g.group),
          groupPatterns: config.groupPatterns,
          intervalMs: config.lagIntervalMs,
          onError: (e) => log.warn({ error: e.message }, 'lag collection failed'),
        });
        collector.start();
        watch.start(config.metadataIntervalMs);
        collecting = true;
      }
      await startConsumerWhenTopicsExist();
    } catch (e) {
      waitingFor = `Kafka: ${(e as Error).message}`;
      log.warn({ error: (e as Error).message }, 'cannot consume yet; retrying');
      if (!stopped) retryTimer = setTimeout(() => void connect(), RETRY_MS);
    }
  };
  const startConsumerWhenTopicsExist = async (): Promise<void> => {
    if (stopped) return;
    const existing = new Set(await admin.listTopics());
    const missing = deployment.checkedTopics.filter((t) => !existing.has(t));
    if (missing.length) {
      waitingFor = `topics not visible to ${deployment.principal} yet: ${missing.join(', ')}`;
      retryTimer = setTimeout(() => void connect(), RETRY_MS);
      return;
    }
    waitingFor = 'joining the consumer group';
    await consumer.start();
    consumerStarted = true;
  };

  const server = buildServer(metrics, {
    // Unhealthy only when checking cannot resume by itself: the orchestrator then replaces the process.
    health: () => consumer.failed,
    ready: () => {
      if (!consumerStarted || !consumer.ready) return waitingFor ?? 'consumer not in its group';
      if (!collector?.snapshot()) return 'no lag collected yet';
      return undefined;
    },
  });
  const url = await server.listen({ port: config.port, host: config.host });
  log.info(
    {
      url,
      principal: deployment.principal,
      group: deployment.group,
      topics: deployment.checkedTopics,
      containment: deployment.containment,
      connector: deployment.publicSinkConnector,
    },
    'cdc-monitor listening',
  );
  void connect();
  connectorWatch?.start(config.metadataIntervalMs);

  return {
    url,
    deployment,
    metrics,
    async stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      watch.stop();
      connectorWatch?.stop();
      if (consumerStarted) await consumer.stop();
      await collector?.stop();
      await producer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
      await server.close();
    },
  };
}
