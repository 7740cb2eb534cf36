/**
 * Avro in the Confluent wire format through the stack's registry (Apicurio's ccompat API), with
 * several subjects and versions so that the schema id each record carries must select the right
 * writer schema: clean records pass, an unknown and a restricted column are found.
 */
import { randomBytes } from 'node:crypto';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { applyModelTopics, config, metric, monitorReady, pollUntil, scrape, withProducer } from './stack';
import { row } from './records';
import { model } from './stack';

const MD = 'cdc.market_data.public';
const REF = 'cdc.reference_data.public';
const registry = new SchemaRegistry({ host: config.registryUrl! });
const run = randomBytes(3).toString('hex');

/** Debezium's Avro envelope for a table with the given columns (all optional strings or longs). */
function envelopeSchema(table: string, columns: string[], extraNamespace: string): string {
  const ns = `lakewall_unrouted.public.${table}.it${run}${extraNamespace}`;
  const value = {
    type: 'record',
    name: 'Value',
    fields: columns.map((name) => ({ name, type: ['null', 'string'], default: null })),
  };
  return JSON.stringify({
    type: 'record',
    name: 'Envelope',
    namespace: ns,
    fields: [
      { name: 'before', type: ['null', value], default: null },
      { name: 'after', type: ['null', `${ns}.Value`], default: null },
      {
        name: 'source',
        type: {
          type: 'record',
          name: 'Source',
          fields: [
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
  });
}

const stringRow = (r: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)]));
const value = (table: string, after: Record<string, unknown>) => ({
  before: null,
  after,
  source: { ts_ms: Date.now() - 20, db: model.source.database, schema: model.source.schema, table },
  op: 'c',
  ts_ms: Date.now(),
});

beforeAll(async () => {
  await applyModelTopics();
  await monitorReady();
});

it('decodes by each record’s schema id across subjects and versions; finds unknown and restricted columns', async () => {
  const mdColumns = Object.keys(row('market_data'));
  const subject = `${MD}-it${run}-value`;
  const v1 = await registry.register(
    { type: SchemaType.AVRO, schema: envelopeSchema('market_data', mdColumns, '') },
    { subject },
  );
  const v2 = await registry.register(
    { type: SchemaType.AVRO, schema: envelopeSchema('market_data', [...mdColumns, 'spread'], '') },
    { subject },
  );
  const refColumns = [...Object.keys(row('reference_data')), 'internal_credit_rating'];
  const ref = await registry.register(
    { type: SchemaType.AVRO, schema: envelopeSchema('reference_data', refColumns, 'r') },
    { subject: `${REF}-it${run}-value` },
  );
  expect(new Set([v1.id, v2.id, ref.id]).size).toBe(3);

  const before = await scrape();
  const f0 = (topic: string, kind: string) =>
    metric(before, 'lakewall_monitor_findings_total', { topic, kind });
  const all0 = metric(before, 'lakewall_monitor_findings_total');
  const checked0 = metric(before, 'lakewall_monitor_records_checked_total');
  const mdRow = stringRow(row('market_data'));
  await withProducer(async (p) => {
    await p.send({
      topic: MD,
      messages: [{ value: await registry.encode(v1.id, value('market_data', mdRow)) }],
    });
    await p.send({
      topic: MD,
      messages: [{ value: await registry.encode(v2.id, value('market_data', { ...mdRow, spread: '0.1' })) }],
    });
    await p.send({
      topic: REF,
      messages: [
        {
          value: await registry.encode(
            ref.id,
            value('reference_data', { ...stringRow(row('reference_data')), internal_credit_rating: null }),
          ),
        },
      ],
    });
  });
  const after = await pollUntil('the three Avro records checked', async () => {
    const text = await scrape();
    return metric(text, 'lakewall_monitor_records_checked_total') >= checked0 + 3 ? text : undefined;
  });
  expect(metric(after, 'lakewall_monitor_findings_total', { topic: MD, kind: 'unknown_column' })).toBe(
    f0(MD, 'unknown_column') + 1,
  );
  expect(metric(after, 'lakewall_monitor_findings_total', { topic: REF, kind: 'restricted_column' })).toBe(
    f0(REF, 'restricted_column') + 1,
  );
  // The v1 record is clean: exactly two findings in all.
  expect(metric(after, 'lakewall_monitor_findings_total') - all0).toBe(2);
  expect(metric(after, 'lakewall_monitor_findings_total', { kind: 'undecodable' })).toBe(
    metric(before, 'lakewall_monitor_findings_total', { kind: 'undecodable' }),
  );
});
