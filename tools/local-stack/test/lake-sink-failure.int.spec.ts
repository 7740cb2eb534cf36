/**
 * A record the public Iceberg sink cannot write fails the sink, visibly (errors.tolerance=none):
 * Connect reports the task FAILED with the cause, and the monitor exports the state its
 * "sink connector failed" alert fires on. Nothing is skipped in silence.
 *
 * The record passes the monitor's leak check (a public table's own columns, nothing MNPI), so the
 * sink fails on its own; only its value does not fit the column's type.
 */
import { Kafka, logLevel } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  deriveSinks,
  loadPlatformModel,
  publishedColumns,
  tablesOf,
  topicName,
} from '@lakewall/platform-model';
import { cdcProducerPrincipal, connectClient, kafkaClientConfig } from '../src/index';
import { registerDebezium, sampleRow } from '../src/cdc';
import { applyTopicsAndAcls } from '../src/topic-bootstrap';
import { releaseSinkPastEnd } from '../src/sink-release';
import { registerIcebergSinks } from '../src/lake';
import { monitorMetric } from './monitor-metrics';

const model = loadPlatformModel();
const sink = deriveSinks(model, 'local').find((s) => s.zone === 'public')!;
const table = tablesOf(model).find(
  (t) => t.classification === 'public' && publishedColumns(t).some((c) => c.type === 'bigint'),
)!;
const bigintColumn = publishedColumns(table).find((c) => c.type === 'bigint')!.name;
const topic = topicName(model, table.name, 'public');

describe('a record the sink cannot write', () => {
  const connect = connectClient();
  const kafka = new Kafka({ ...kafkaClientConfig(cdcProducerPrincipal(model)), logLevel: logLevel.NOTHING });

  beforeAll(async () => {
    await applyTopicsAndAcls(() => undefined);
    await registerDebezium(model);
    await registerIcebergSinks(model);
  });

  afterAll(async () => {
    // Past the test's record, running again: what an operator does once the cause is dealt with.
    await releaseSinkPastEnd(model, 'public');
  });

  it('fails the sink task with the cause, and the monitor exports the FAILED state', async () => {
    const id = Date.now() % 1_000_000;
    const now = Date.now();
    const after = { ...sampleRow(model, table.name, id), [bigintColumn]: 'not-a-number' };
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic,
        messages: [
          {
            key: JSON.stringify(Object.fromEntries(table.primaryKey.map((k) => [k, after[k]]))),
            value: JSON.stringify({
              before: null,
              after,
              source: {
                connector: 'postgresql',
                db: model.source.database,
                schema: model.source.schema,
                table: table.name,
                ts_ms: now,
                snapshot: 'false',
              },
              op: 'c',
              ts_ms: now,
            }),
          },
        ],
      });
    } finally {
      await producer.disconnect();
    }

    const until = Date.now() + 120_000;
    let trace = '';
    while (!trace) {
      const status = await connect.connectorStatus(sink.connectorName);
      trace = status?.tasks.find((t) => t.state === 'FAILED')?.trace ?? '';
      if (!trace && Date.now() > until)
        throw new Error(`the sink did not fail: ${JSON.stringify(status?.tasks.map((t) => t.state))}`);
      if (!trace) await sleep(500);
    }
    // The cause names the value that did not fit, so an operator can find the record.
    expect(trace).toMatch(/not-a-number|NumberFormatException|Cannot convert|DataException/);

    // The monitor polls Connect in the background; its failed-task gauge is what the alert reads.
    const seenUntil = Date.now() + 30_000;
    let failedTasks = 0;
    while (Date.now() < seenUntil) {
      failedTasks =
        (await monitorMetric('lakewall_monitor_connector_failed_tasks', { connector: sink.connectorName })) ??
        0;
      if (failedTasks > 0) break;
      await sleep(1000);
    }
    expect(failedTasks).toBeGreaterThan(0);
    expect(
      await monitorMetric('lakewall_monitor_connector_state', {
        connector: sink.connectorName,
        state: 'STOPPED',
      }),
    ).not.toBe(1); // not a leak: not contained
  });
});
