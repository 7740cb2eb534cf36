/**
 * Each finding kind, injected by producing straight to a public topic (or creating an undeclared
 * topic), is detected by the running monitor: counted under its kind, and within the 2 s detection
 * contract as the monitor's own histogram measures it.
 */
import { randomBytes } from 'node:crypto';
import {
  applyModelTopics,
  metric,
  metricNow,
  monitorReady,
  pollUntil,
  scrape,
  withAdmin,
  withProducer,
} from './stack';
import { changeEvent, json, row } from './records';

const MD = 'cdc.market_data.public';
const REF = 'cdc.reference_data.public';

beforeAll(async () => {
  await applyModelTopics();
  await monitorReady();
});

async function injectAndExpect(
  kind: string,
  topic: string,
  value: Buffer,
  key: Buffer | null = null,
): Promise<void> {
  const before = await scrape();
  const findings0 = metric(before, 'lakewall_monitor_findings_total', { topic, kind });
  const count0 = metric(before, 'lakewall_monitor_detection_seconds_count');
  const within0 = metric(before, 'lakewall_monitor_detection_seconds_bucket', { le: '2' });
  const checked0 = metric(before, 'lakewall_monitor_records_checked_total', { topic });
  await withProducer((p) => p.send({ topic, messages: [{ key, value }] }));
  const after = await pollUntil(`a ${kind} finding on ${topic}`, async () => {
    const text = await scrape();
    // The finding is counted (and contained) before the record's check completes: wait for both.
    const found = metric(text, 'lakewall_monitor_findings_total', { topic, kind }) > findings0;
    const checked = metric(text, 'lakewall_monitor_records_checked_total', { topic }) > checked0;
    return found && checked ? text : undefined;
  });
  expect(metric(after, 'lakewall_monitor_findings_total', { topic, kind })).toBe(findings0 + 1);
  expect(metric(after, 'lakewall_monitor_records_checked_total', { topic })).toBe(checked0 + 1);
  // Detection contract: every record checked meanwhile was checked within 2 s of its Kafka timestamp.
  const checkedNow = metric(after, 'lakewall_monitor_detection_seconds_count') - count0;
  expect(checkedNow).toBeGreaterThanOrEqual(1);
  expect(metric(after, 'lakewall_monitor_detection_seconds_bucket', { le: '2' }) - within0).toBe(checkedNow);
}

describe('leak detection on the public topics', () => {
  it('route_violation: an MNPI table’s change event on a public topic', async () => {
    await injectAndExpect('route_violation', MD, changeEvent('trades'), json({ trade_id: 1 }));
  });

  it('restricted_column: an MNPI column in an update’s before image only', async () => {
    const before = { ...row('reference_data'), internal_credit_rating: 'BBB' };
    await injectAndExpect(
      'restricted_column',
      REF,
      changeEvent('reference_data', { op: 'u', before, after: row('reference_data') }),
    );
  });

  it('unknown_table: a source table the model does not declare', async () => {
    await injectAndExpect('unknown_table', MD, changeEvent('shadow_book', { after: { id: 1 } }));
  });

  it('unknown_column: a field the model does not declare for the table', async () => {
    await injectAndExpect(
      'unknown_column',
      MD,
      changeEvent('market_data', { after: { ...row('market_data'), spread: 'x' } }),
    );
  });

  it('undecodable: neither Avro with a known schema nor a Debezium JSON envelope', async () => {
    await injectAndExpect('undecodable', REF, Buffer.from([0x7b, 0x00, 0xff, 0x13]));
    // The Confluent wire format with a schema id the registry does not know.
    await injectAndExpect('undecodable', REF, Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 1, 2, 3]));
  });

  it('undeclared_topic: a topic under the managed prefix the model does not declare, seen from metadata', async () => {
    const topic = `cdc.undeclared_${randomBytes(3).toString('hex')}.public`;
    await withAdmin((a) => a.createTopics({ topics: [{ topic, numPartitions: 1 }] }));
    try {
      const found = await pollUntil('an undeclared_topic finding', async () => {
        const n = await metricNow('lakewall_monitor_findings_total', { topic, kind: 'undeclared_topic' });
        return n > 0 ? n : undefined;
      });
      expect(found).toBe(1);
      expect(
        await metricNow('lakewall_monitor_findings_total', {
          topic,
          table: 'unknown',
          kind: 'undeclared_topic',
        }),
      ).toBe(1);
    } finally {
      await withAdmin((a) => a.deleteTopics({ topics: [topic] }));
    }
  });

  it('a tombstone and a heartbeat are checked and are not findings', async () => {
    const before = await scrape();
    const all0 = metric(before, 'lakewall_monitor_findings_total', { topic: MD });
    const checked0 = metric(before, 'lakewall_monitor_records_checked_total', { topic: MD });
    await withProducer((p) =>
      p.send({
        topic: MD,
        messages: [
          { key: json({ instrument_id: 'X', quoted_at: 'T' }), value: null },
          { key: json({ serverName: 'lakewall-unrouted' }), value: json({ ts_ms: Date.now() }) },
        ],
      }),
    );
    await pollUntil('both records checked', async () =>
      (await metricNow('lakewall_monitor_records_checked_total', { topic: MD })) >= checked0 + 2
        ? true
        : undefined,
    );
    expect(await metricNow('lakewall_monitor_findings_total', { topic: MD })).toBe(all0);
  });
});
