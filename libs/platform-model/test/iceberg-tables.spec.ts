import { deriveIcebergTables, icebergType, loadPlatformModel, type IcebergField } from '../src';

const model = loadPlatformModel();
const tables = deriveIcebergTables(model);
const ids = (fields: IcebergField[]): number[] =>
  fields.flatMap((f) => [f.id, ...(typeof f.type === 'string' ? [] : ids(f.type.fields))]);

describe('Iceberg raw tables', () => {
  it("declares every model table in its zone's raw namespace", () => {
    expect(tables.map((t) => `${t.namespace}.${t.name}`)).toEqual([
      'lakewall_raw_mnpi.trades',
      'lakewall_raw_mnpi.orders',
      'lakewall_raw_mnpi.positions',
      'lakewall_raw_public.market_data',
      'lakewall_raw_public.reference_data',
      'lakewall_raw_public.cdc_heartbeat',
    ]);
  });

  it('types columns from the model and never declares a restricted column', () => {
    const trades = tables.find((t) => t.name === 'trades')!;
    const type = (n: string) => trades.schema.fields.find((f) => f.name === n)?.type;
    expect(type('price')).toBe('decimal(20, 8)');
    expect(type('executed_at')).toBe('timestamptz');
    expect(type('trade_id')).toBe('long');
    const reference = tables.find((t) => t.name === 'reference_data')!;
    expect(reference.schema.fields.map((f) => f.name)).not.toContain('internal_credit_rating');
    expect(() => icebergType('money')).toThrow(/no Iceberg type/);
  });

  it('keeps the source position, change metadata and Kafka coordinates, with unique field ids, partitioned by commit day', () => {
    for (const t of tables) {
      const all = ids(t.schema.fields);
      expect(new Set(all).size).toBe(all.length);
      expect(t.schema.fields.map((f) => f.name)).toEqual(
        expect.arrayContaining(['_cdc', '_kafka_topic', '_kafka_partition']),
      );
      const type = (n: string) => t.schema.fields.find((f) => f.name === n)?.type;
      expect([type('_source_lsn'), type('_source_txid'), type('_source_ts')]).toEqual([
        'long',
        'long',
        'timestamptz',
      ]);
      expect(t.partitionBy).toEqual([
        { transform: 'day', column: '_source_ts', name: 'change_day', fieldId: 1000 },
      ]);
    }
  });
});
