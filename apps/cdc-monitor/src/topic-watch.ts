/**
 * Watches cluster metadata: a topic under the managed prefix that the model does not declare is a
 * finding (seen through the monitor's DESCRIBE grant on the prefix; it is never read).
 */
import type { Admin } from 'kafkajs';
import type { Logger } from 'pino';
import { undeclaredTopicFindings, type Finding } from '@lakewall/record-checker';
import type { RecordCheckRules } from '@lakewall/platform-model';

export class TopicWatch {
  private readonly reported = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private lastTopics: ReadonlySet<string> = new Set();

  constructor(
    private readonly admin: Admin,
    private readonly rules: RecordCheckRules,
    private readonly onFinding: (f: Finding) => Promise<void>,
    private readonly log: Logger,
  ) {}

  /** Topics seen in the last metadata read. */
  get topics(): ReadonlySet<string> {
    return this.lastTopics;
  }

  /** Reads metadata once; each undeclared topic is reported once per process. */
  async poll(): Promise<void> {
    const topics = await this.admin.listTopics();
    this.lastTopics = new Set(topics);
    for (const f of undeclaredTopicFindings(topics, this.rules)) {
      if (this.reported.has(f.topic)) continue;
      this.reported.add(f.topic);
      await this.onFinding(f);
    }
  }

  start(intervalMs: number): void {
    const tick = () => {
      this.poll()
        .catch((e: unknown) =>
          this.log.warn({ error: (e as Error).message }, 'reading topic metadata failed'),
        )
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
