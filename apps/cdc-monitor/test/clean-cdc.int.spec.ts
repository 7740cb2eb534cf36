/**
 * Real Debezium output from real PostgreSQL writes passes clean: inserts, an update of a row whose
 * MNPI column changes (Debezium drops it at the source), a delete and its tombstone.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { debeziumConnectorName } from '@lakewall/platform-model';
import { readLocalStackCredentials } from '@lakewall/kafka-connection';
import { applyModelTopics, connectClient, metric, model, monitorReady, pollUntil, scrape } from './stack';

const MD = 'cdc.market_data.public';
const REF = 'cdc.reference_data.public';
const pgPort = Number(process.env.LAKEWALL_PG_PORT || 15432);
const creds = readLocalStackCredentials()!;

async function sql(statements: [string, unknown[]][]): Promise<void> {
  const client = new Client({
    host: '127.0.0.1',
    port: pgPort,
    user: 'postgres',
    password: creds.postgres.postgres,
    database: model.source.database,
  });
  await client.connect();
  try {
    for (const [text, values] of statements) await client.query(text, values);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await applyModelTopics();
  // The integration setup registers the model's Debezium connector (secrets by reference, the
  // environment's wire format): this test checks what that connector writes.
  await connectClient().waitForConnectorRunning(debeziumConnectorName(model), 180_000);
  await monitorReady();
});

it('inserts, updates, deletes and tombstones from Debezium give no findings', async () => {
  const before = await scrape();
  const findings0 = [MD, REF].map((topic) => metric(before, 'lakewall_monitor_findings_total', { topic }));
  const checked0 = [MD, REF].map((topic) =>
    metric(before, 'lakewall_monitor_records_checked_total', { topic }),
  );
  const latency0 = metric(before, 'lakewall_monitor_cdc_latency_seconds_count', { table: 'market_data' });

  const id = `IT${randomBytes(4).toString('hex')}`;
  const md = `INSERT INTO public.market_data (instrument_id, bid, ask, last, volume, quoted_at) VALUES ($1, 1.5, 1.6, NULL, 100, now())`;
  await sql([
    [md, [id]],
    [md, [`${id}b`]],
    [md, [`${id}c`]],
    [
      `INSERT INTO public.reference_data (instrument_id, isin, symbol, name, asset_class, currency, lot_size, internal_credit_rating, updated_at)
       VALUES ($1, NULL, 'SYM', 'Name', 'equity', 'USD', 100, 'BBB', now())`,
      [id],
    ],
    [
      `UPDATE public.reference_data SET internal_credit_rating = 'CCC', symbol = 'SYM2' WHERE instrument_id = $1`,
      [id],
    ],
    [`DELETE FROM public.market_data WHERE instrument_id = $1`, [`${id}c`]],
  ]);

  // market_data: 3 creates, 1 delete, 1 tombstone; reference_data: 1 create, 1 update.
  const after = await pollUntil(
    'the monitor to check the new change events',
    async () => {
      const text = await scrape();
      const md = metric(text, 'lakewall_monitor_records_checked_total', { topic: MD }) - checked0[0]!;
      const ref = metric(text, 'lakewall_monitor_records_checked_total', { topic: REF }) - checked0[1]!;
      return md >= 5 && ref >= 2 ? text : undefined;
    },
    120_000,
  );
  expect([MD, REF].map((topic) => metric(after, 'lakewall_monitor_findings_total', { topic }))).toEqual(
    findings0,
  );
  expect(
    metric(after, 'lakewall_monitor_cdc_latency_seconds_count', { table: 'market_data' }),
  ).toBeGreaterThanOrEqual(latency0 + 4);
});
