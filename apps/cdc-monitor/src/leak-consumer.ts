/**
 * Consumes every checked topic with the monitor's own group and checks every record. At least
 * once: a record's offset is resolved only after its check (and any containment) finished, checked
 * offsets are committed at most once a second (also when the topics fall idle after a burst) and on
 * shutdown, and a check that fails transiently (the
 * registry unreachable) throws, so kafkajs retries the batch instead of skipping it.
 */
import { Kafka, logLevel, type Consumer, type EachBatchPayload } from 'kafkajs';
import type { Logger } from 'pino';
import type { Finding, RecordChecker } from '@lakewall/record-checker';
import type { MonitorMetrics } from './metrics';

export interface LeakConsumerOptions {
  readonly kafka: Kafka;
  readonly group: string;
  readonly topics: readonly string[];
  readonly checker: RecordChecker;
  readonly metrics: MonitorMetrics;
  /** Counts, logs and contains a finding; awaited before the record's offset is resolved. */
  readonly onFinding: (finding: Finding) => Promise<void>;
  readonly log: Logger;
  /** How often uncommitted checked offsets are committed. @default 1000 */
  readonly commitIntervalMs?: number;
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export class LeakConsumer {
  private consumer: Consumer | undefined;
  private joined = false;
  private stopping = false;
  private batchInFlight: Promise<void> | undefined;
  private commitTimer: NodeJS.Timeout | undefined;
  /** What was last committed per partition, so an idle timer tick sends nothing. */
  private readonly committed = new Map<string, string>();
  /** The next offset to read per partition: every record before it has been checked. */
  private readonly checked = new Map<string, { topic: string; partition: number; offset: string }>();

  private readonly latency = new Map<string, { observe(v: number): void }>();

  constructor(private readonly o: LeakConsumerOptions) {}

  private latencyOf(table: string): { observe(v: number): void } {
    let h = this.latency.get(table);
    if (!h) this.latency.set(table, (h = this.o.metrics.cdcLatencySeconds.labels({ table })));
    return h;
  }

  /** Set when the consumer crashed and kafkajs will not restart it: the process must be replaced. */
  failed: string | undefined;

  get ready(): boolean {
    return this.joined && !this.stopping;
  }

  async start(): Promise<void> {
    const consumer = this.o.kafka.consumer({
      groupId: this.o.group,
      // A killed replica's partitions move to a live one after this long.
      sessionTimeout: 10_000,
      heartbeatInterval: 3000,
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const assigned = new Set(
        Object.entries(payload.memberAssignment).flatMap(([t, ps]) => ps.map((p) => key(t, p))),
      );
      for (const k of this.checked.keys()) if (!assigned.has(k)) this.checked.delete(k);
      this.committed.clear();
      this.joined = true;
      this.o.log.info({ group: this.o.group, partitions: assigned.size }, 'joined the consumer group');
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.joined = false;
      if (!payload.restart) this.failed = `consumer crashed and will not restart: ${payload.error.message}`;
      this.o.log.error({ error: payload.error.message, restart: payload.restart }, 'consumer crashed');
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [...this.o.topics], fromBeginning: true });
    } catch (e) {
      // Not authorised yet, or the broker is away: leave nothing half-started; the caller retries.
      await consumer.disconnect().catch(() => undefined);
      this.consumer = undefined;
      throw e;
    }
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => {
        const p = this.handleBatch(payload);
        this.batchInFlight = p.catch(() => undefined);
        return p;
      },
    });
    this.commitTimer = setInterval(() => void this.commitChecked(), this.o.commitIntervalMs ?? 1000);
  }

  /** Commits every partition's checked offset that moved since the last commit. */
  private async commitChecked(): Promise<void> {
    if (!this.consumer || !this.joined || this.stopping) return;
    const pending = [...this.checked.entries()].filter(([k, v]) => this.committed.get(k) !== v.offset);
    if (pending.length === 0) return;
    try {
      await this.consumer.commitOffsets(pending.map(([, v]) => v));
      for (const [k, v] of pending) this.committed.set(k, v.offset);
    } catch (e) {
      this.o.log.warn({ error: (e as Error).message }, 'committing checked offsets failed; retrying');
    }
  }

  private async handleBatch({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const { checker, metrics } = this.o;
    const checked = metrics.recordsChecked.labels({ topic });
    let last: string | undefined;
    for (const m of batch.messages) {
      if (this.stopping || !isRunning() || isStale()) break;
      const rec = { topic, partition, offset: m.offset, key: m.key, value: m.value };
      // Most records need no registry round trip: check them without yielding to the event loop.
      const result = checker.checkNow(rec) ?? (await checker.check(rec));
      for (const f of result.findings) await this.o.onFinding(f);
      const produced = Number(m.timestamp);
      checked.inc();
      metrics.detectionSeconds.observe(Math.max(0, Date.now() - produced) / 1000);
      if (result.table && result.sourceTsMs !== undefined)
        this.latencyOf(result.table).observe(Math.max(0, produced - result.sourceTsMs) / 1000);
      resolveOffset(m.offset);
      last = m.offset;
    }
    if (last !== undefined)
      this.checked.set(key(topic, partition), { topic, partition, offset: (BigInt(last) + 1n).toString() });
    await heartbeat();
  }

  /** Stops consuming, commits every checked offset, leaves the group. */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    if (!consumer) return;
    this.stopping = true;
    if (this.commitTimer) clearInterval(this.commitTimer);
    await this.batchInFlight;
    const offsets = [...this.checked.values()];
    if (offsets.length && this.joined) {
      try {
        await consumer.commitOffsets(offsets);
        this.o.log.info({ partitions: offsets.length }, 'committed checked offsets');
      } catch (e) {
        this.o.log.error(
          { error: (e as Error).message },
          'committing checked offsets at shutdown failed; they will be checked again',
        );
      }
    }
    await consumer.disconnect();
    this.consumer = undefined;
  }
}

export function monitorKafka(config: ConstructorParameters<typeof Kafka>[0], log: Logger): Kafka {
  return new Kafka({
    ...config,
    logLevel: logLevel.WARN,
    logCreator: () => (entry) =>
      log
        .child({ component: 'kafkajs' })
        [entry.level >= logLevel.WARN ? 'warn' : 'error']({ namespace: entry.namespace }, entry.log.message),
  });
}
