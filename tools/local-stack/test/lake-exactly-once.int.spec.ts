/**
 * Exactly once across a crash: the Connect worker (Debezium and both Iceberg sinks) is killed with
 * SIGKILL while the sinks hold changes they have not committed, then started again; every change
 * is in its zone's Iceberg table once, none missing, none twice.
 *
 * The kill comes after Debezium has handed every change to Kafka and flushed its source offsets:
 * Debezium's own delivery is at least once across a crash (Kafka Connect's exactly-once source
 * support is not enabled), so what this proves is the sink's exactly-once commit from Kafka to
 * Iceberg, which the control topic's transactions provide.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { loadPlatformModel, tablesOf, topicName, type NamedTable } from '@lakewall/platform-model';
import { ensureStackUp, kafkaClientConfig, readStackStatus } from '../src/index';
import { insertRows, registerDebezium, sampleRow } from '../src/cdc';
import { applyTopicsAndAcls } from '../src/topic-bootstrap';
import { listLakeTables, registerIcebergSinks, scanLakeTable } from '../src/lake';

const model = loadPlatformModel();
const ROWS = 200;
// One table of each zone: both sinks run on the killed worker.
const tables = (['mnpi', 'public'] as const).map((zone) =>
  tablesOf(model).find((t) => t.classification === zone && t.primaryKey.length === 1)!,
);
const lakeTable = (t: NamedTable) => `${model.project}_raw_${t.classification}.${t.name}`;

/** This run's rows in the table's lake copy, by primary key value. */
function lakeRowsOf(t: NamedTable, keys: ReadonlySet<string>): string[] {
  const key = t.primaryKey[0]!;
  const values = [...keys].map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  return scanLakeTable(lakeTable(t), -1, { [key]: values }).map((r) => String(r[key]));
}

/** Row counts of the tables from Iceberg metadata (one reader call for all of them). */
function lakeCounts(): number[] {
  const all = listLakeTables(model);
  return tables.map((t) => all.find((x) => `${x.namespace}.${x.table}` === lakeTable(t))?.rows ?? 0);
}

/** The sum of the topic's end offsets: grows by one per change Debezium hands to Kafka. */
async function endOffsetSum(admin: ReturnType<Kafka['admin']>, topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((s, p) => s + Number(p.high), 0);
}

async function gone(pid: number): Promise<void> {
  const until = Date.now() + 15_000;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    if (Date.now() > until) throw new Error(`Connect (pid ${pid}) still alive 15 s after SIGKILL`);
    await sleep(100);
  }
}

describe('the lake across a Connect worker crash', () => {
  const admin = new Kafka({ ...kafkaClientConfig('admin'), logLevel: logLevel.NOTHING }).admin();

  beforeAll(async () => {
    await applyTopicsAndAcls(() => undefined);
    await registerDebezium(model);
    await registerIcebergSinks(model);
    await admin.connect();
  });

  afterAll(async () => {
    await admin.disconnect();
    await ensureStackUp();
  });

  it('holds every change exactly once after SIGKILL and restart', async () => {
    expect(tables.every(Boolean)).toBe(true);
    const base = 100_000_000 + (Date.now() % 100_000_000);
    const ids = Array.from({ length: ROWS }, (_, i) => base + i);
    const keysOf = (t: NamedTable) =>
      new Set(ids.map((id) => String(sampleRow(model, t.name, id)[t.primaryKey[0]!])));

    const topics = tables.map((t) => topicName(model, t.name, t.classification));
    const before = await Promise.all(topics.map((t) => endOffsetSum(admin, t)));
    const lakeBefore = lakeCounts();
    await Promise.all(
      tables.map((t) =>
        insertRows(
          model,
          t.name,
          ids.map((id) => sampleRow(model, t.name, id)),
        ),
      ),
    );

    // Debezium has every change in Kafka, and (offsets flush every second) its source offsets.
    const until = Date.now() + 60_000;
    for (;;) {
      const now = await Promise.all(topics.map((t) => endOffsetSum(admin, t)));
      if (now.every((n, i) => n - before[i]! >= ROWS)) break;
      if (Date.now() > until) throw new Error(`Debezium did not deliver ${ROWS} changes per table`);
      await sleep(200);
    }
    await sleep(3000);

    const status = await readStackStatus();
    const pid = status.components.find((c) => c.name === 'connect')!.pid!;
    const atKill = lakeCounts().map((n, i) => n - lakeBefore[i]!);
    process.kill(pid, 'SIGKILL');
    await gone(pid);
    process.stderr.write(
      `killed Connect (pid ${pid}) with ${atKill.join(' and ')} of ${ROWS} rows committed\n`,
    );
    const killedAt = Date.now();
    await ensureStackUp();
    const upMs = Date.now() - killedAt;

    const deadline = Date.now() + 240_000;
    let counts = atKill;
    while (!counts.every((n) => n >= ROWS) && Date.now() < deadline) {
      await sleep(5000);
      counts = lakeCounts().map((n, i) => n - lakeBefore[i]!);
    }
    process.stderr.write(
      `Connect back in ${(upMs / 1000).toFixed(0)} s, every row committed ${((Date.now() - killedAt) / 1000).toFixed(0)} s after the kill\n`,
    );
    // One more commit interval: a duplicate would show up now if a replay were committed twice.
    await sleep(model.environments.local.lake.commitIntervalMs + 2000);
    for (const t of tables) {
      const rows = lakeRowsOf(t, keysOf(t));
      expect({ table: t.name, rows: rows.length }).toEqual({ table: t.name, rows: ROWS });
      expect(new Set(rows).size).toBe(ROWS);
    }
  });
});
