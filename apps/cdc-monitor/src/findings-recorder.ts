/**
 * Records findings and containments on the model's findings topic, where the admin API reads them
 * and acknowledges them. Written with acks from every in-sync replica and keyed by finding id, so a
 * finding's events stay in order. A finding that cannot be recorded throws: the record it came
 * from is then checked again rather than passed over unrecorded.
 */
import type { Producer } from 'kafkajs';
import { findingId, findingRecorded, type Finding, type FindingsEvent } from '@lakewall/record-checker';

/** The monitor guards the public zone: every finding threatens it, and its sink is what is paused. */
const GUARDED_ZONE = 'public';

export class FindingsRecorder {
  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  finding(f: Finding): Promise<void> {
    return this.send(findingId(f), findingRecorded(f, GUARDED_ZONE, this.now()));
  }

  contained(connector: string, f: Finding): Promise<void> {
    const id = findingId(f);
    return this.send(id, { type: 'contained', connector, findingId: id, at: this.now().toISOString() });
  }

  private async send(key: string, event: FindingsEvent): Promise<void> {
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: [{ key, value: JSON.stringify(event) }],
    });
  }
}
