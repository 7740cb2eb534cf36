/**
 * The monitor's promise to the lake: a record leaked onto a public topic is contained (the public
 * Iceberg sink stopped) before the sink's next commit, so the leaked row never appears in the
 * public Iceberg table. Runs the real chain: Kafka, the stack's monitor component, Connect with the
 * public Iceberg sink, the JDBC catalog and S3.
 */
import { Kafka, logLevel } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  deriveMonitorDeployment,
  deriveSinks,
  loadPlatformModel,
  tablesOf,
  topicName,
} from '@lakewall/platform-model';
import { cdcProducerPrincipal, connectClient, kafkaClientConfig } from '../src/index';
import { insertRows, registerDebezium, sampleRow } from '../src/cdc';
import { applyTopicsAndAcls } from '../src/topic-bootstrap';
import { releaseSinkPastEnd } from '../src/sink-release';
import { monitorMetric } from './monitor-metrics';
import { registerIcebergSinks, scanLakeTable } from '../src/lake';
import { endpointOf } from '../src/components';
import { stackContext } from '../src/context';

const model = loadPlatformModel();
const ENV = 'local';
const sink = deriveSinks(model, ENV).find((s) => s.zone === 'public')!;
const connector = deriveMonitorDeployment(model, ENV).publicSinkConnector!;
const leakedTable = tablesOf(model).find(
  (t) => t.classification === 'public' && t.columns.some((c) => c.classification === 'mnpi'),
)!;
const topic = topicName(model, leakedTable.name, 'public');
const lakeTable = `${model.project}_raw_public.${leakedTable.name}`;

/** A Debezium JSON create event of the public table that carries its MNPI column: a restricted_column leak. */
function leakedEvent(row: Record<string, unknown>): Buffer {
  const now = Date.now();
  return Buffer.from(
    JSON.stringify({
      before: null,
      after: row,
      source: {
        connector: 'postgresql',
        db: model.source.database,
        schema: model.source.schema,
        table: leakedTable.name,
        ts_ms: now,
        snapshot: 'false',
      },
      op: 'c',
      ts_ms: now,
    }),
  );
}

/** Inserts a clean row through PostgreSQL and Debezium and waits until the sink has committed it. */
async function cleanRowCommitted(instrumentId: string): Promise<void> {
  const row = { ...sampleRow(model, leakedTable.name, Date.now() % 1_000_000), instrument_id: instrumentId };
  await insertRows(model, leakedTable.name, [row]);
  const until = Date.now() + 120_000;
  while (scanLakeTable(lakeTable, -1, { instrument_id: [instrumentId] }).length === 0) {
    if (Date.now() > until) throw new Error(`the clean row ${instrumentId} did not reach ${lakeTable}`);
    await sleep(2000);
  }
}

const monitorUrl = endpointOf('monitor', stackContext().ports);

/** The monitor's containment counter for the public sink (stop, success). */
async function containments(): Promise<number> {
  const n = await monitorMetric('lakewall_monitor_containment_actions_total', {
    connector,
    action: 'stop',
    result: 'success',
  });
  if (n === undefined)
    throw new Error(`the monitor exports no stop/success containment counter for ${connector}`);
  return n;
}

async function monitorReady(): Promise<void> {
  const url = `${monitorUrl}/readyz`;
  const until = Date.now() + 60_000;
  while (
    !(await fetch(url)
      .then((r) => r.ok)
      .catch(() => false))
  ) {
    if (Date.now() > until) throw new Error(`the monitor at ${url} is not ready`);
    await sleep(250);
  }
}

describe('containment before the lake commit', () => {
  const connect = connectClient();
  const kafka = new Kafka({ ...kafkaClientConfig(cdcProducerPrincipal(model)), logLevel: logLevel.NOTHING });

  beforeAll(async () => {
    expect(leakedTable).toBeDefined();
    await applyTopicsAndAcls(() => undefined);
    await registerDebezium(model);
    // An earlier leak (another suite's) may have left the public sink contained; this test needs it
    // running, past those records.
    await registerIcebergSinks(model).catch(() => releaseSinkPastEnd(model, 'public'));
    await monitorReady();
  });

  afterAll(async () => {
    // Past the test's record, running again: what an operator does once the cause is dealt with.
    await releaseSinkPastEnd(model, 'public');
  });

  it('stops the public sink within the commit interval, and the leaked row never reaches its Iceberg table', async () => {
    // The control: the sink is running and commits this table's rows.
    await cleanRowCommitted(`clean-${Date.now()}`);
    const contained0 = await containments();
    const marker = `leak-${Date.now()}`;
    const row = { ...sampleRow(model, leakedTable.name, Date.now() % 1_000_000), instrument_id: marker };
    const producer = kafka.producer();
    await producer.connect();
    const sentAt = Date.now();
    try {
      await producer.send({
        topic,
        messages: [{ key: JSON.stringify({ instrument_id: marker }), value: leakedEvent(row) }],
      });
    } finally {
      await producer.disconnect();
    }

    const status = await connect.waitForState(connector, 'STOPPED', sink.commitIntervalMs);
    const containedMs = Date.now() - sentAt;
    process.stderr.write(
      `leak contained in ${containedMs} ms (commit interval ${sink.commitIntervalMs} ms)\n`,
    );
    expect(status.tasks).toEqual([]);
    expect(containedMs).toBeLessThan(sink.commitIntervalMs);
    expect(await containments()).toBe(contained0 + 1);

    // Two full commit intervals: any commit the sink could still make has happened by now.
    await sleep(2 * sink.commitIntervalMs + 5000);
    expect(scanLakeTable(lakeTable, -1, { instrument_id: [marker] })).toEqual([]);
    // The monitor never resumes by itself, and acted once for the one leak.
    expect((await connect.connectorStatus(connector))!.connector.state).toBe('STOPPED');
    expect(await containments()).toBe(contained0 + 1);
  });
});
