/** Debezium-shaped records built from the real model, in JSON (with and without schemas) and Avro. */
import avro from 'avsc';
import { deriveRecordCheckRules, loadPlatformModel, tablesOf } from '@lakewall/platform-model';
import type { AvroReader, AvroSchemaSource, KafkaRecordInput } from '../src';

export const model = loadPlatformModel();
export const rules = deriveRecordCheckRules(model, 'local');

export const SECRET = 'SECRET-VALUE-7f3a';

/** A full row of `table` with plausible values (every column, restricted ones excluded unless asked). */
export function row(table: string, opts: { withRestricted?: boolean } = {}): Record<string, unknown> {
  const t = tablesOf(model).find((x) => x.name === table)!;
  return Object.fromEntries(
    t.columns
      .filter((c) => opts.withRestricted || c.classification !== 'mnpi' || t.classification === 'mnpi')
      .map((c) => [c.name, c.type === 'bigint' || c.type === 'integer' ? 42 : `v-${c.name}`]),
  );
}

export interface EnvelopeOpts {
  op?: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  db?: string;
  schema?: string;
}

export function envelope(table: string, o: EnvelopeOpts = {}): Record<string, unknown> {
  const op = o.op ?? 'c';
  return {
    before: o.before ?? null,
    after: o.after === undefined ? (op === 'd' || op === 't' ? null : row(table)) : o.after,
    source: {
      version: '3.3.1.Final',
      connector: 'postgresql',
      name: 'lakewall-unrouted',
      ts_ms: 1_700_000_000_000,
      snapshot: op === 'r' ? 'true' : 'false',
      db: o.db ?? 'trading',
      sequence: '[null,"123"]',
      schema: o.schema ?? 'public',
      table,
      txId: 7,
      lsn: 123,
      xmin: null,
    },
    transaction: null,
    op,
    ts_ms: 1_700_000_000_100,
  };
}

/** JsonConverter with schemas.enable=true: {schema, payload}. */
export function withSchema(payload: unknown): unknown {
  return { schema: { type: 'struct', fields: [], optional: false, name: 'lakewall.Envelope' }, payload };
}

export const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));

let offset = 0;
export function rec(topic: string, value: Buffer | null, key: Buffer | null = null): KafkaRecordInput {
  offset += 1;
  return { topic, partition: 0, offset: String(offset), key, value };
}

/** An in-memory schema source backed by real avsc types (the registry's own decoder library). */
export class MemoryAvroSource implements AvroSchemaSource {
  private readonly types = new Map<number, avro.Type>();
  failing = false;
  register(id: number, schema: avro.Schema): avro.Type {
    const type = avro.Type.forSchema(schema);
    this.types.set(id, type);
    return type;
  }
  async readerFor(id: number): Promise<AvroReader | undefined> {
    if (this.failing) throw new Error('registry unreachable');
    return this.types.get(id);
  }
  /** Every id it does not hold is known to be unknown (the registry answered). */
  peek(id: number): AvroReader | 'unknown' | undefined {
    if (this.failing) return undefined;
    return this.types.get(id) ?? 'unknown';
  }
}

export function wire(id: number, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeInt32BE(id, 1);
  return Buffer.concat([header, body]);
}

/** Debezium's Avro envelope for `columns` (every column an optional string or long). */
export function avroEnvelopeSchema(table: string, columns: Record<string, unknown>): avro.Schema {
  const value = {
    type: 'record',
    name: 'Value',
    namespace: `lakewall_unrouted.public.${table}`,
    fields: Object.entries(columns).map(([name, v]) => ({
      name,
      type: ['null', typeof v === 'number' ? 'long' : 'string'],
      default: null,
    })),
  };
  return {
    type: 'record',
    name: 'Envelope',
    namespace: `lakewall_unrouted.public.${table}`,
    fields: [
      { name: 'before', type: ['null', value], default: null },
      { name: 'after', type: ['null', `lakewall_unrouted.public.${table}.Value`], default: null },
      {
        name: 'source',
        type: {
          type: 'record',
          name: 'Source',
          namespace: 'io.debezium.connector.postgresql',
          fields: [
            { name: 'version', type: 'string' },
            { name: 'connector', type: 'string' },
            { name: 'name', type: 'string' },
            { name: 'ts_ms', type: 'long' },
            { name: 'db', type: 'string' },
            { name: 'schema', type: 'string' },
            { name: 'table', type: 'string' },
          ],
        },
      },
      { name: 'op', type: 'string' },
      { name: 'ts_ms', type: ['null', 'long'], default: null },
    ],
  } as avro.Schema;
}

export function avroSourceOf(env: Record<string, unknown>): Record<string, unknown> {
  const s = env.source as Record<string, unknown>;
  return {
    version: s.version,
    connector: s.connector,
    name: s.name,
    ts_ms: s.ts_ms,
    db: s.db,
    schema: s.schema,
    table: s.table,
  };
}
