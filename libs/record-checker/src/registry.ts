/**
 * The schema source the monitor uses in production: a Confluent-compatible registry (Apicurio's
 * ccompat API) through @kafkajs/confluent-schema-registry, which caches schemas by id.
 */
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import avro from 'avsc';
import type { AvroReader, AvroSchemaSource } from './decode';

/**
 * Avro longs beyond 2^53 (Debezium's `ts_ns`, for one) make avsc's own long type throw, and a record
 * that carries one would not decode at all. This long decodes to a number when it is safe and to a
 * BigInt when it is not: nothing is lost, and the common case stays a plain number.
 */
const SAFE_LONG = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer): number | bigint => {
    const n = buf.readBigInt64LE();
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  },
  toBuffer: (n: number | bigint): Buffer => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n));
    return buf;
  },
  fromJSON: (v: unknown): number | bigint => (typeof v === 'bigint' ? v : Number(v)),
  toJSON: (n: number | bigint): number => Number(n),
  isValid: (n: unknown): boolean => typeof n === 'bigint' || (typeof n === 'number' && Number.isInteger(n)),
  compare: (a: number | bigint, b: number | bigint): number => (a < b ? -1 : a > b ? 1 : 0),
});

/** Every `long` (bare or with properties such as Connect's logical names) through SAFE_LONG. */
function safeLongHook(schema: unknown): avro.Type | undefined {
  const type = typeof schema === 'string' ? schema : (schema as { type?: unknown } | null)?.type;
  const logical = typeof schema === 'object' && schema !== null && 'logicalType' in schema;
  return type === 'long' && !logical ? SAFE_LONG : undefined;
}

/** How long an unknown schema id is remembered, so a flood of bad records does not flood the registry. */
const UNKNOWN_ID_TTL_MS = 60_000;

export class RegistryAvroSource implements AvroSchemaSource {
  private readonly registry: SchemaRegistry;
  private readonly unknownUntil = new Map<number, number>();
  private readonly readers = new Map<number, AvroReader>();

  constructor(host: string, auth?: { username: string; password: string }) {
    this.registry = new SchemaRegistry(
      { host, ...(auth ? { auth } : {}), retry: { retries: 2 } },
      { [SchemaType.AVRO]: { typeHook: safeLongHook } },
    );
  }

  peek(schemaId: number): AvroReader | 'unknown' | undefined {
    const reader = this.readers.get(schemaId);
    if (reader) return reader;
    const until = this.unknownUntil.get(schemaId);
    return until !== undefined && until > Date.now() ? 'unknown' : undefined;
  }

  async readerFor(schemaId: number): Promise<AvroReader | undefined> {
    const known = this.peek(schemaId);
    if (known) return known === 'unknown' ? undefined : known;
    try {
      const schema: unknown = await this.registry.getSchema(schemaId);
      if (avro.Type.isType(schema)) {
        this.readers.set(schemaId, schema as AvroReader);
        return schema as AvroReader;
      }
    } catch (e) {
      const status = (e as { status?: number }).status;
      // 404/422: the registry answered and does not know the id. Anything else is transient.
      if (status !== 404 && status !== 422) throw e;
    }
    this.unknownUntil.set(schemaId, Date.now() + UNKNOWN_ID_TTL_MS);
    return undefined;
  }
}
