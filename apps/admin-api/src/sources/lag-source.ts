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
  /** The latest snapshot in the API's shape, built once per snapshot: the routes cache by identity. */
  private view: { snapshot: LagSnapshot; all: GroupLag[]; byId: Map<string, GroupLag> } | undefined;

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

  private async latest(): Promise<{ all: GroupLag[]; byId: Map<string, GroupLag> }> {
    const snapshot = this.collector.snapshot() ?? (await this.collector.collectOnce());
    if (this.view?.snapshot !== snapshot) {
      const all = snapshot.groups.map((g) => toApi(g, snapshot.collectedAtMs));
      this.view = { snapshot, all, byId: new Map(all.map((g) => [g.groupId, g])) };
    }
    return this.view;
  }

  async groupLag(groupId: string): Promise<GroupLag | undefined> {
    return (await this.latest()).byId.get(groupId);
  }

  async allGroupLag(): Promise<GroupLag[]> {
    return (await this.latest()).all;
  }
}
