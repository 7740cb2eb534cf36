/**
 * The findings log: what the monitor found and contained, and how each finding was reviewed, as
 * events on the model's findings topic. The monitor appends findings and containments, the admin
 * API appends acknowledgments, and both fold the same events into the same state here (pure).
 *
 * A finding's id is a digest of what it is about (kind, topic, table, fields), so repeated records
 * of the same leak add to one finding. A finding seen again after its acknowledgment is open again:
 * an acknowledgment covers what had been seen when it was given.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { FINDING_KINDS, type Finding } from './findings';

const Zone = z.enum(['mnpi', 'public']);
const Iso = z.string().min(1);

export const FindingRecorded = z.strictObject({
  type: z.literal('finding'),
  id: z.string().min(1),
  /** The zone the finding threatens: the zone whose sink the monitor contains for it. */
  zone: Zone,
  kind: z.enum(FINDING_KINDS),
  topic: z.string(),
  table: z.string(),
  fields: z.array(z.string()).optional(),
  partition: z.number().int().optional(),
  offset: z.string().optional(),
  reason: z.string(),
  at: Iso,
});
export const SinkContained = z.strictObject({
  type: z.literal('contained'),
  connector: z.string().min(1),
  findingId: z.string().min(1),
  at: Iso,
});
export const FindingAcknowledged = z.strictObject({
  type: z.literal('acknowledged'),
  id: z.string().min(1),
  by: z.string().min(1),
  reason: z.string().min(1),
  at: Iso,
});
export const FindingsEvent = z.discriminatedUnion('type', [
  FindingRecorded,
  SinkContained,
  FindingAcknowledged,
]);
export type FindingsEvent = z.infer<typeof FindingsEvent>;

export function findingId(f: Pick<Finding, 'kind' | 'topic' | 'table' | 'fields'>): string {
  const about = [f.kind, f.topic, f.table, ...(f.fields ?? [])].join('\u0000');
  return createHash('sha256').update(about).digest('hex').slice(0, 24);
}

export function findingRecorded(f: Finding, zone: 'mnpi' | 'public', at: Date): FindingsEvent {
  return {
    type: 'finding',
    id: findingId(f),
    zone,
    kind: f.kind,
    topic: f.topic,
    table: f.table,
    ...(f.fields ? { fields: [...f.fields] } : {}),
    ...(f.partition !== undefined ? { partition: f.partition } : {}),
    ...(f.offset !== undefined ? { offset: f.offset } : {}),
    reason: f.reason,
    at: at.toISOString(),
  };
}

/** Parses one record's value; undefined for anything that is not a findings event (skipped, not fatal). */
export function parseFindingsEvent(value: Buffer | string | null): FindingsEvent | undefined {
  if (value === null) return undefined;
  try {
    const r = FindingsEvent.safeParse(JSON.parse(String(value)));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

export interface ReviewedFinding {
  readonly id: string;
  readonly zone: 'mnpi' | 'public';
  readonly kind: Finding['kind'];
  readonly topic: string;
  readonly table: string;
  readonly fields: readonly string[];
  readonly state: 'open' | 'acknowledged';
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly count: number;
  readonly acknowledged?: { readonly by: string; readonly reason: string; readonly at: string };
}

/** The state folded from the events, in log order. */
export class FindingsState {
  private readonly byId = new Map<string, ReviewedFinding>();
  private readonly contained = new Set<string>();

  apply(e: FindingsEvent): void {
    switch (e.type) {
      case 'finding': {
        const prev = this.byId.get(e.id);
        this.byId.set(e.id, {
          id: e.id,
          zone: e.zone,
          kind: e.kind,
          topic: e.topic,
          table: e.table,
          fields: e.fields ?? [],
          state: 'open',
          firstSeen: prev?.firstSeen ?? e.at,
          lastSeen: e.at,
          count: (prev?.count ?? 0) + 1,
          ...(prev?.acknowledged ? { acknowledged: prev.acknowledged } : {}),
        });
        return;
      }
      case 'contained':
        this.contained.add(e.connector);
        return;
      case 'acknowledged': {
        const prev = this.byId.get(e.id);
        // An acknowledgment of a finding this log never recorded changes nothing.
        if (prev)
          this.byId.set(e.id, {
            ...prev,
            state: 'acknowledged',
            acknowledged: { by: e.by, reason: e.reason, at: e.at },
          });
        return;
      }
    }
  }

  findings(): ReviewedFinding[] {
    return [...this.byId.values()].sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
  }

  finding(id: string): ReviewedFinding | undefined {
    return this.byId.get(id);
  }

  /** True once the monitor has recorded pausing this connector (within the topic's retention). */
  everContained(connector: string): boolean {
    return this.contained.has(connector);
  }
}
