import type { Producer } from 'kafkajs';
import type { AuditEvent, AuditLog } from './types';

/**
 * The audit log on its Kafka topic (MNPI-classified, derived from the model). Each event is one
 * record keyed by request id, written with acks from all in-sync replicas: `append` resolves only
 * once the record is durable, and the API refuses a change whose attempt could not be recorded.
 */
export class KafkaAuditLog implements AuditLog {
  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
  ) {}

  async append(event: AuditEvent): Promise<void> {
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: [{ key: event.requestId, value: JSON.stringify(event) }],
    });
  }
}
