/**
 * Consumer-group lag from the monitor's own lag library: a LagCollector collecting in the background
 * for the groups the model declares, read from memory. Requests never wait on Kafka, except the
 * first ones after start, which wait for the first collection.
 */
import type { Admin } from 'kafkajs';
import { LagCollector, type GroupLag as CollectedGroup, type LagSnapshot } from '@lakewall/lag-collector';
import { deriveMonitorDeployment, type EnvName, type PlatformModel } from '@lakewall/platform-model';
import type { GroupLag, LagSource } from './types';

function toApi(g: CollectedGroup, collectedAtMs: number): GroupLag {
  return {
    groupId: g.group,
    status: g.status,
    members: g.members,
    collectedAt: new Date(collectedAtMs).toISOString(),
    partitions: g.partitions.map((p) => ({
      topic: p.topic,
      partition: p.partition,
      committedOffset: String(p.committed),
      logEndOffset: String(p.logEnd),
      lag: p.lag,
      timeLagSeconds: p.lagSeconds,
    })),
  };
}

export class CollectorLagSource implements LagSource {
  constructor(private readonly collector: LagCollector) {}

  /** The model's groups (the ones the monitor exports), collected every `intervalMs`. */
  static forModel(
    model: PlatformModel,
    env: EnvName,
    admin: Admin,
    opts: { intervalMs?: number; onError?: (e: Error) => void } = {},
  ): CollectorLagSource {
    const collector = new LagCollector({
      admin,
      knownGroups: deriveMonitorDeployment(model, env).groups.map((g) => g.group),
      ...opts,
    });
    return new CollectorLagSource(collector);
  }

  start(): void {
    this.collector.start();
  }

  stop(): Promise<void> {
    return this.collector.stop();
  }

  private async snapshot(): Promise<LagSnapshot> {
    return this.collector.snapshot() ?? this.collector.collectOnce();
  }

  async groupLag(groupId: string): Promise<GroupLag | undefined> {
    const s = await this.snapshot();
    const g = s.groups.find((x) => x.group === groupId);
    return g && toApi(g, s.collectedAtMs);
  }

  async allGroupLag(): Promise<GroupLag[]> {
    const s = await this.snapshot();
    return s.groups.map((g) => toApi(g, s.collectedAtMs));
  }
}
