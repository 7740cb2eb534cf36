/**
 * The schema source the monitor uses in production: a Confluent-compatible registry (Apicurio's
 * ccompat API) through @kafkajs/confluent-schema-registry, which caches schemas by id.
 */
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import avro from 'avsc';
import type { AvroReader, AvroSchemaSource } from './decode';

/** How long an unknown schema id is remembered, so a flood of bad records does not flood the registry. */
const UNKNOWN_ID_TTL_MS = 60_000;

export class RegistryAvroSource implements AvroSchemaSource {
  private readonly registry: SchemaRegistry;
  private readonly unknownUntil = new Map<number, number>();
  private readonly readers = new Map<number, AvroReader>();

  constructor(host: string, auth?: { username: string; password: string }) {
    this.registry = new SchemaRegistry({ host, ...(auth ? { auth } : {}), retry: { retries: 2 } });
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
