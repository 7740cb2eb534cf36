/**
 * The monitor's findings from the model's findings topic, folded in memory by one consumer that
 * reads the topic from its start (a group of its own per process, never committed). Every answer
 * first catches up with the topic's end as it stands when the request arrives, so a finding the
 * monitor recorded before the request is never missed; acknowledgments are appended to the same
 * topic and read back before they are answered.
 */
import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import {
  FindingsState,
  parseFindingsEvent,
  type FindingsEvent,
  type ReviewedFinding,
} from '@lakewall/record-checker';
import type { ZoneName } from '@lakewall/platform-model';
import { SourceUnavailableError, type Finding, type FindingsSource } from './types';

export interface KafkaFindingsOptions {
  readonly topic: string;
  /** The group prefix the principal may read the topic with. */
  readonly readerGroupPrefix: string;
  /** The sink the monitor pauses on a finding, and its zone (when containment is on). */
  readonly containedSink?: { readonly connector: string; readonly zone: ZoneName };
  /** Longest an answer waits to catch up with the topic. @default 10000 */
  readonly catchUpTimeoutMs?: number;
}

const toApi = (f: ReviewedFinding): Finding => ({
  id: f.id,
  zone: f.zone,
  kind: f.kind,
  topic: f.topic,
  table: f.table,
  fields: f.fields,
  state: f.state,
  firstSeen: f.firstSeen,
  lastSeen: f.lastSeen,
  count: f.count,
  ...(f.acknowledged ? { acknowledged: f.acknowledged } : {}),
});

export class KafkaFindings implements FindingsSource {
  private readonly state = new FindingsState();
  /** Next offset to read, per partition. */
  private readonly next = new Map<number, bigint>();
  private consumer: Consumer | undefined;
  private crashed: string | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly admin: Admin,
    private readonly opts: KafkaFindingsOptions,
  ) {}

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: `${this.opts.readerGroupPrefix}${randomUUID()}` });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) this.crashed = e.payload.error.message;
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.opts.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          const e = parseFindingsEvent(m.value);
          if (e) this.state.apply(e);
        }
        // lastOffset() also covers records a batch holds but does not hand out (control records).
        if (!batch.isEmpty()) this.next.set(batch.partition, BigInt(batch.lastOffset()) + 1n);
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
  }

  /** Waits until everything on the topic now has been folded in. */
  private async caughtUp(): Promise<void> {
    if (!this.consumer) throw new SourceUnavailableError('findings: the reader has not started');
    const ends = await this.admin.fetchTopicOffsets(this.opts.topic);
    const behind = () =>
      ends.some((p) => BigInt(p.high) > BigInt(p.low) && (this.next.get(p.partition) ?? 0n) < BigInt(p.high));
    const until = Date.now() + (this.opts.catchUpTimeoutMs ?? 10_000);
    while (behind()) {
      if (this.crashed) throw new SourceUnavailableError(`findings reader stopped: ${this.crashed}`);
      if (Date.now() > until)
        throw new SourceUnavailableError('findings: the reader did not catch up with the topic in time');
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async findings(): Promise<Finding[]> {
    await this.caughtUp();
    return this.state.findings().map(toApi);
  }

  async acknowledge(id: string, by: string, reason: string): Promise<Finding | undefined> {
    await this.caughtUp();
    if (!this.state.finding(id)) return undefined;
    const event: FindingsEvent = { type: 'acknowledged', id, by, reason, at: new Date().toISOString() };
    await this.producer.send({
      topic: this.opts.topic,
      acks: -1,
      messages: [{ key: id, value: JSON.stringify(event) }],
    });
    await this.caughtUp();
    const f = this.state.finding(id);
    return f && toApi(f);
  }

  /**
   * True when the monitor recorded pausing this connector, or when it is the sink the monitor
   * contains and its zone has open findings (a pause whose record failed still counts: fail closed).
   */
  async pausedByMonitor(connector: string): Promise<boolean> {
    await this.caughtUp();
    if (this.state.everContained(connector)) return true;
    const sink = this.opts.containedSink;
    return (
      sink?.connector === connector &&
      this.state.findings().some((f) => f.zone === sink.zone && f.state === 'open')
    );
  }
}
