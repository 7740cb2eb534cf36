/**
 * Hand-made change events for tests that must put on a CDC topic what Debezium never would (a
 * leaked column, a value that does not fit its column), encoded in the environment's wire format so
 * that the sinks' converters read them like Debezium's own records.
 */
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { wireFormatOf, type PlatformModel } from '@lakewall/platform-model';
import { registryUrl } from '../src/index';

export interface HandMadeEvent {
  readonly before: null;
  readonly after: Record<string, unknown>;
  readonly source: Record<string, unknown>;
  readonly op: string;
  readonly ts_ms: number;
}

const avroType = (v: unknown): string =>
  typeof v === 'boolean'
    ? 'boolean'
    : typeof v === 'number'
      ? Number.isInteger(v)
        ? 'long'
        : 'double'
      : 'string';

const record = (name: string, values: Record<string, unknown>) => ({
  type: 'record',
  name,
  fields: Object.entries(values).map(([k, v]) => ({ name: k, type: avroType(v) })),
});

/**
 * JSON, or Avro in the Confluent wire format. The Avro schema is registered under a subject of the
 * test's own (`<topic>-<purpose>-value`): the CDC subject's compatibility rule would refuse it, and
 * a converter reads whatever schema id a record carries.
 */
export async function encodeEvent(
  model: PlatformModel,
  topic: string,
  purpose: string,
  event: HandMadeEvent,
): Promise<Buffer> {
  if (wireFormatOf(model, 'local') === 'json') return Buffer.from(JSON.stringify(event));
  const schema = {
    type: 'record',
    name: 'Envelope',
    namespace: `lakewall.test.${purpose.replace(/[^A-Za-z0-9]/g, '_')}${Date.now()}`,
    fields: [
      { name: 'before', type: ['null', record('Value', event.after)], default: null },
      { name: 'after', type: ['null', 'Value'], default: null },
      { name: 'source', type: record('Source', event.source) },
      { name: 'op', type: 'string' },
      { name: 'ts_ms', type: 'long' },
    ],
  };
  const registry = new SchemaRegistry({ host: registryUrl() });
  const { id } = await registry.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
    { subject: `${topic}-${purpose}-value` },
  );
  return registry.encode(id, event);
}
