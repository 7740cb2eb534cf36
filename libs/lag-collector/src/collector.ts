/**
 * Collects consumer-group lag from Kafka in the background and keeps the latest snapshot in memory:
 * scrapes and API calls read the snapshot and never wait on Kafka (thousands of groups would time a
 * synchronous scrape out). Groups the model knows are always reported, with or without members.
 */
import type { Admin } from 'kafkajs';
import { PartitionHistory, DEFAULT_HISTORY_POINTS } from './history';
import { StatusWindow, worstStatus, DEFAULT_STATUS_WINDOW, type ConsumerStatus } from './status';

export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  readonly committed: number;
  readonly logEnd: number;
  /** Never negative: log-end and committed offsets are read at different moments. */
  readonly lag: number;
  readonly lagSeconds: number;
}

export interface GroupLag {
  readonly group: string;
  readonly members: number;
  readonly state: string;
  readonly status: ConsumerStatus;
  readonly partitions: readonly PartitionLag[];
  /** Why the group could not be read (status ERR). */
  readonly error?: string;
}

export interface TopicPartitionOffsets {
  readonly topic: string;
  readonly partition: number;
  readonly oldest: number;
  readonly current: number;
}

export interface LagSnapshot {
  readonly collectedAtMs: number;
  readonly durationMs: number;
  readonly groups: readonly GroupLag[];
  readonly topicPartitions: readonly TopicPartitionOffsets[];
}

export interface LagCollectorOptions {
  /** A connected kafkajs admin client (owned by the caller). */
  readonly admin: Admin;
  /** Groups always reported, even when Kafka does not list them. */
  readonly knownGroups: readonly string[];
  /** Further groups to report when their id matches one of these. */
  readonly groupPatterns?: readonly RegExp[];
  /** @default 5000 */
  readonly intervalMs?: number;
  /** @default DEFAULT_STATUS_WINDOW */
  readonly statusWindow?: number;
  /** @default DEFAULT_HISTORY_POINTS */
  readonly historyPoints?: number;
  readonly now?: () => number;
  readonly onError?: (error: Error) => void;
}

const tp = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export class LagCollector {
  private readonly histories = new Map<string, PartitionHistory>();
  private readonly windows = new Map<string, StatusWindow>();
  private latest: LagSnapshot | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<LagSnapshot> | undefined;
  private readonly now: () => number;

  constructor(private readonly opts: LagCollectorOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** The latest snapshot; undefined before the first collection finished. */
  snapshot(): LagSnapshot | undefined {
    return this.latest;
  }

  /** Collects now and then every interval until stop(); errors go to onError, the loop goes on. */
  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.collectOnce()
        .catch((e: unknown) => this.opts.onError?.(e as Error))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.opts.intervalMs ?? 5000);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One collection cycle (concurrent callers share it). */
  collectOnce(): Promise<LagSnapshot> {
    if (!this.running) this.running = this.collect().finally(() => (this.running = undefined));
    return this.running;
  }

  private wanted(group: string): boolean {
    return (
      this.opts.knownGroups.includes(group) || (this.opts.groupPatterns ?? []).some((p) => p.test(group))
    );
  }

  private async collect(): Promise<LagSnapshot> {
    const started = this.now();
    const { admin } = this.opts;
    const listed = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => this.wanted(g));
    const groupIds = [...new Set([...this.opts.knownGroups, ...listed])].sort();
    const described = new Map((await admin.describeGroups(groupIds)).groups.map((g) => [g.groupId, g]));

    // Committed offsets first, log-end offsets second: the head can only have moved on meanwhile.
    const committed = await Promise.all(
      groupIds.map(async (group) => {
        try {
          return { group, offsets: await admin.fetchOffsets({ groupId: group }) };
        } catch (e) {
          return { group, offsets: [], error: (e as Error).message };
        }
      }),
    );
    const topics = [...new Set(committed.flatMap((c) => c.offsets.map((o) => o.topic)))].sort();
    const heads = new Map<string, { oldest: number; current: number }>();
    const topicErrors = new Map<string, string>();
    await Promise.all(
      topics.map(async (topic) => {
        try {
          for (const p of await admin.fetchTopicOffsets(topic))
            heads.set(tp(topic, p.partition), { oldest: Number(p.low), current: Number(p.high) });
        } catch (e) {
          topicErrors.set(topic, (e as Error).message);
        }
      }),
    );
    const at = this.now();
    this.recordHeads(heads, at);

    const seenWindows = new Set<string>();
    const groups: GroupLag[] = committed.map(({ group, offsets, error }) => {
      const d = described.get(group);
      const members = d?.members.length ?? 0;
      const partitions: PartitionLag[] = [];
      const statuses: ConsumerStatus[] = [];
      let groupError = error;
      for (const { topic, partitions: ps } of offsets) {
        if (topicErrors.has(topic)) groupError ??= `topic ${topic}: ${topicErrors.get(topic)}`;
        for (const p of ps) {
          const c = Number(p.offset);
          const head = heads.get(tp(topic, p.partition));
          if (c < 0 || !head) continue; // nothing committed yet, or the partition is gone
          const lag = Math.max(0, head.current - c);
          const history = this.histories.get(tp(topic, p.partition))!;
          const lagSeconds = lag === 0 ? 0 : (history.lagSeconds(c, at) ?? 0);
          partitions.push({
            topic,
            partition: p.partition,
            committed: c,
            logEnd: head.current,
            lag,
            lagSeconds,
          });
          const wk = `${group}\u0000${tp(topic, p.partition)}`;
          seenWindows.add(wk);
          let w = this.windows.get(wk);
          if (!w)
            this.windows.set(wk, (w = new StatusWindow(this.opts.statusWindow ?? DEFAULT_STATUS_WINDOW)));
          w.add({ committed: c, lag, timeMs: at });
          statuses.push(w.status(members));
        }
      }
      return {
        group,
        members,
        state: d?.state ?? 'Unknown',
        status: groupError ? 'ERR' : worstStatus(statuses),
        partitions,
        ...(groupError ? { error: groupError } : {}),
      };
    });
    for (const k of this.windows.keys()) if (!seenWindows.has(k)) this.windows.delete(k);

    const topicPartitions = [...heads.entries()]
      .map(([k, h]) => {
        const [topic, partition] = k.split('\u0000') as [string, string];
        return { topic, partition: Number(partition), oldest: h.oldest, current: h.current };
      })
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    this.latest = { collectedAtMs: at, durationMs: this.now() - started, groups, topicPartitions };
    return this.latest;
  }

  private recordHeads(heads: Map<string, { current: number }>, at: number): void {
    for (const [k, h] of heads) {
      let history = this.histories.get(k);
      if (!history)
        this.histories.set(
          k,
          (history = new PartitionHistory(this.opts.historyPoints ?? DEFAULT_HISTORY_POINTS)),
        );
      history.add(h.current, at);
    }
    for (const k of this.histories.keys()) if (!heads.has(k)) this.histories.delete(k);
  }
}
