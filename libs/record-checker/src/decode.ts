/**
 * Decodes a record's key or value by what its bytes are, not by what the topic should carry: the
 * Confluent wire format (magic byte 0, a 4-byte schema id, Avro) through a schema source, otherwise
 * JSON (a Debezium converter with or without schemas). Anything else is undecodable.
 */

/** The part of an Avro type the checker needs (avsc's Type satisfies it). */
export interface AvroReader {
  fromBuffer(buffer: Buffer): unknown;
}

/**
 * Resolves a schema id to an Avro reader. Resolves `undefined` when the registry does not know the
 * id or the schema is not Avro (the record is undecodable); rejects on a transient failure
 * (registry unreachable), so the caller retries instead of reporting a finding.
 */
export interface AvroSchemaSource {
  readerFor(schemaId: number): Promise<AvroReader | undefined>;
  /**
   * What is already known about an id without waiting: its reader, 'unknown' (the registry said it
   * does not know it), or undefined (not looked up yet: use readerFor).
   */
  peek?(schemaId: number): AvroReader | 'unknown' | undefined;
}

export type Decoded =
  | { readonly ok: true; readonly format: 'avro' | 'json'; readonly value: unknown }
  | { readonly ok: false; readonly reason: string };

const MAGIC_BYTE = 0;
const WIRE_HEADER_BYTES = 5;

export function isConfluentWireFormat(bytes: Buffer): boolean {
  return bytes.length >= WIRE_HEADER_BYTES && bytes[0] === MAGIC_BYTE;
}

/** JSON.parse, and a Debezium JsonConverter `{schema, payload}` pair unwrapped to its payload. */
export function decodeJson(bytes: Buffer): Decoded {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { ok: false, reason: 'neither the Confluent wire format nor JSON' };
  }
  return { ok: true, format: 'json', value: unwrapSchemaPayload(parsed) };
}

function unwrapSchemaPayload(v: unknown): unknown {
  if (!isPlainObject(v)) return v;
  const keys = Object.keys(v);
  if (keys.length === 2 && 'schema' in v && 'payload' in v && isPlainObject(v.schema)) return v.payload;
  return v;
}

export async function decodeBytes(bytes: Buffer, avro: AvroSchemaSource | undefined): Promise<Decoded> {
  const now = decodeBytesNow(bytes, avro);
  if (now) return now;
  const schemaId = bytes.readInt32BE(1);
  return decodeAvro(bytes, schemaId, await avro!.readerFor(schemaId));
}

/**
 * The same decoding without waiting, for the common case (JSON, or a schema already cached);
 * undefined when the registry must be asked first.
 */
export function decodeBytesNow(bytes: Buffer, avro: AvroSchemaSource | undefined): Decoded | undefined {
  if (!isConfluentWireFormat(bytes)) return decodeJson(bytes);
  const schemaId = bytes.readInt32BE(1);
  if (!avro) return { ok: false, reason: `Confluent wire format (schema id ${schemaId}) but no registry` };
  const known = avro.peek?.(schemaId);
  if (known === undefined) return undefined;
  return decodeAvro(bytes, schemaId, known === 'unknown' ? undefined : known);
}

function decodeAvro(bytes: Buffer, schemaId: number, reader: AvroReader | undefined): Decoded {
  if (!reader) return { ok: false, reason: `schema id ${schemaId} is not an Avro schema the registry knows` };
  try {
    return { ok: true, format: 'avro', value: reader.fromBuffer(bytes.subarray(WIRE_HEADER_BYTES)) };
  } catch {
    return { ok: false, reason: `the body does not decode with Avro schema id ${schemaId}` };
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}
