import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { registryUrl } from '../src/index';

describe('schema registry (Confluent-compatible API)', () => {
  it('registers an Avro schema and round-trips a record', async () => {
    const registry = new SchemaRegistry({ host: registryUrl() });
    const schema = {
      type: 'record',
      name: 'TradeSmoke',
      namespace: 'lakewall.local.test',
      fields: [
        { name: 'trade_id', type: 'long' },
        { name: 'side', type: 'string' },
        { name: 'price', type: 'string' },
      ],
    };
    const subject = `lakewall-local-smoke-${Date.now()}-value`;
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
      { subject },
    );
    expect(id).toBeGreaterThan(0);
    expect(await registry.getLatestSchemaId(subject)).toBe(id);

    const record = { trade_id: 42, side: 'BUY', price: '101.25000000' };
    const encoded = await registry.encode(id, record);
    expect(encoded[0]).toBe(0); // Confluent wire format: magic byte, then the 4-byte schema id
    expect(encoded.readInt32BE(1)).toBe(id);
    expect(await registry.decode(encoded)).toEqual(record);
  });
});
