/** The kinds of finding, exactly as the metrics, alerts and dashboards name them. */
export const FINDING_KINDS = [
  'route_violation',
  'restricted_column',
  'unknown_table',
  'unknown_column',
  'undecodable',
  'undeclared_topic',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** The `table` label when the record names no table the model knows (never the record's own text). */
export const UNKNOWN_TABLE_LABEL = 'unknown';

/** Where a record sits in Kafka: enough to find it again, nothing of its content. */
export interface RecordLocation {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * One thing wrong with one record (or topic). It carries names only: the model's table name as the
 * label, and field or table names as the record states them (sanitised) for the log. Never a value.
 */
export interface Finding {
  readonly kind: FindingKind;
  readonly topic: string;
  /** A model table name or UNKNOWN_TABLE_LABEL: safe as a metric label. */
  readonly table: string;
  readonly partition?: number;
  readonly offset?: string;
  /** Field names involved (restricted_column, unknown_column), sorted. */
  readonly fields?: readonly string[];
  /** Why, in words, without any value from the record. */
  readonly reason: string;
}

/**
 * A name taken from a record, made safe for a log line: identifier characters only, bounded length.
 * A record is attacker-controlled; its names must not smuggle text into logs.
 */
export function safeName(name: unknown): string {
  if (typeof name !== 'string') return `<${typeof name}>`;
  const cleaned = name.replace(/[^A-Za-z0-9_.$-]/g, '?');
  return cleaned.length > 64 ? `${cleaned.slice(0, 64)}…` : cleaned;
}
