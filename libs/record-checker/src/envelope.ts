/**
 * What a decoded Debezium value is. Every shape Debezium's PostgreSQL connector writes is
 * understood; anything else is `unknown` (and the checker fails closed on it).
 */
import { isPlainObject } from './decode';

/** The table a change event says it comes from, as Debezium's `source` block states it. */
export interface SourceRef {
  readonly db: unknown;
  readonly schema: unknown;
  readonly table: unknown;
}

export type Envelope =
  | {
      readonly kind: 'change';
      /** c create, u update, d delete, r snapshot read, t truncate, m logical decoding message. */
      readonly op: string;
      readonly source: SourceRef;
      /** Row images present in the event (before and/or after), as objects. */
      readonly images: readonly Record<string, unknown>[];
      readonly sourceTsMs?: number;
    }
  | {
      readonly kind: 'schema_change';
      readonly source: SourceRef;
      /** One entry per table the DDL touched: its reference and the column names it declares. */
      readonly tables: readonly { readonly ref: SourceRef; readonly columns: readonly unknown[] }[];
      readonly sourceTsMs?: number;
    }
  | { readonly kind: 'heartbeat' }
  | { readonly kind: 'unknown'; readonly reason: string };

const CHANGE_OPS = new Set(['c', 'u', 'd', 'r', 't', 'm']);

export function classifyValue(value: unknown): Envelope {
  if (!isPlainObject(value)) return { kind: 'unknown', reason: 'not a JSON object or Avro record' };
  const keys = Object.keys(value);
  // Debezium's heartbeat value: a single ts_ms field (io.debezium.connector.common.Heartbeat).
  if (keys.length === 1 && keys[0] === 'ts_ms' && typeof value.ts_ms === 'number')
    return { kind: 'heartbeat' };
  const source = value.source;
  if (!isPlainObject(source)) return { kind: 'unknown', reason: 'no Debezium source block' };
  const ref: SourceRef = { db: source.db, schema: source.schema, table: source.table };
  const sourceTsMs = typeof source.ts_ms === 'number' ? source.ts_ms : undefined;
  if ('ddl' in value || 'tableChanges' in value) return schemaChange(value, ref, sourceTsMs);
  const op = value.op;
  if (typeof op !== 'string' || !CHANGE_OPS.has(op))
    return { kind: 'unknown', reason: 'not a Debezium change event (no known op)' };
  const images: Record<string, unknown>[] = [];
  for (const side of ['before', 'after'] as const) {
    const image = value[side];
    if (image === null || image === undefined) continue;
    if (!isPlainObject(image)) return { kind: 'unknown', reason: `the ${side} image is not an object` };
    images.push(image);
  }
  return { kind: 'change', op, source: ref, images, sourceTsMs };
}

/** Splits a Debezium table id such as `"trading"."public"."trades"` or `public.trades`. */
export function parseTableId(id: unknown): SourceRef | undefined {
  if (typeof id !== 'string') return undefined;
  const parts = id.match(/"[^"]*"|[^."]+/g)?.map((p) => p.replace(/^"|"$/g, '')) ?? [];
  if (parts.length === 3) return { db: parts[0], schema: parts[1], table: parts[2] };
  if (parts.length === 2) return { db: undefined, schema: parts[0], table: parts[1] };
  return undefined;
}

function schemaChange(value: Record<string, unknown>, source: SourceRef, sourceTsMs?: number): Envelope {
  const changes = Array.isArray(value.tableChanges) ? value.tableChanges : [];
  const tables = changes.map((change) => {
    const c = isPlainObject(change) ? change : {};
    const parsed = parseTableId(c.id);
    const ref: SourceRef = parsed
      ? { db: parsed.db ?? value.databaseName ?? source.db, schema: parsed.schema, table: parsed.table }
      : { db: undefined, schema: undefined, table: undefined };
    const table = isPlainObject(c.table) ? c.table : {};
    const columns = Array.isArray(table.columns)
      ? table.columns.map((col) => (isPlainObject(col) ? col.name : col))
      : [];
    return { ref, columns };
  });
  return { kind: 'schema_change', source, tables, sourceTsMs };
}
