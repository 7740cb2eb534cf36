import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { AuditEvent, AuditLog } from './types';

export interface KafkaAuditLogOptions {
  readonly topic: string;
  /** Group prefix the principal may read with (one throw-away group per read). */
  readonly readerGroupPrefix?: string;
  /** Longest a read waits for the records it expects. @default 10000 */
  readonly readTimeoutMs?: number;
}

/**
 * The audit log on its Kafka topic (MNPI-classified, derived from the model). Each event is one
 * record keyed by request id, written with acks from all in-sync replicas: `append` resolves only
 * once the record is durable, and the API refuses a change whose attempt could not be recorded.
 */
export class KafkaAuditLog implements AuditLog {
  constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly admin: Admin,
    private readonly opts: KafkaAuditLogOptions,
  ) {
    if (!opts.readerGroupPrefix) this.recent = undefined;
  }

  async append(event: AuditEvent): Promise<void> {
    await this.producer.send({
      topic: this.opts.topic,
      acks: -1,
      messages: [{ key: event.requestId, value: JSON.stringify(event) }],
    });
  }

  /**
   * The newest `limit` events of each partition, newest first: a consumer in a fresh group seeks
   * every partition to `end - limit` and reads up to the end seen when the read began.
   */
  recent? = async (limit: number): Promise<AuditEvent[]> => {
    const ends = await this.admin.fetchTopicOffsets(this.opts.topic);
    const wanted = new Map(
      ends
        .filter((p) => BigInt(p.high) > BigInt(p.low))
        .map((p) => {
          const high = BigInt(p.high);
          const low = BigInt(p.low);
          const from = high - BigInt(limit) > low ? high - BigInt(limit) : low;
          return [p.partition, { from, last: high - 1n }];
        }),
    );
    if (wanted.size === 0) return [];
    const consumer = this.kafka.consumer({ groupId: `${this.opts.readerGroupPrefix}${randomUUID()}` });
    const events: { at: bigint; e: AuditEvent }[] = [];
    const done = new Set<number>();
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: this.opts.topic, fromBeginning: true });
      let finish: () => void = () => undefined;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const w = wanted.get(partition);
          const offset = BigInt(message.offset);
          if (!w || offset < w.from || offset > w.last) return;
          try {
            events.push({
              at: BigInt(message.timestamp),
              e: JSON.parse(String(message.value)) as AuditEvent,
            });
          } catch {
            /* a record that is not an audit event is skipped, not fatal */
          }
          if (offset >= w.last) done.add(partition);
          if (done.size === wanted.size) finish();
        },
      });
      for (const [partition, w] of wanted)
        consumer.seek({ topic: this.opts.topic, partition, offset: w.from.toString() });
      await Promise.race([finished, new Promise((r) => setTimeout(r, this.opts.readTimeoutMs ?? 10_000))]);
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
    return events
      .sort((a, b) => (a.at === b.at ? 0 : a.at > b.at ? -1 : 1))
      .slice(0, limit)
      .map((x) => x.e);
  };
}
