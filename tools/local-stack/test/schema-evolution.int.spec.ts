/**
 * Schema evolution end to end, as a model change is rolled out: a public table gains a nullable
 * public column and a column classified MNPI (model + DDL). The stack is brought up on the changed
 * model (the monitor restarts on it before anything new flows), Debezium and the sinks are
 * registered from it, and a row with both columns set is inserted. The public column appears in
 * the topic, in the registry subject as a new compatible version and in the Iceberg table; the MNPI
 * column reaches none of them. Afterwards the stack goes back to the repository's model.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { parseDocument } from 'yaml';
import {
  DEFAULT_MODEL_PATH,
  loadPlatformModel,
  parsePlatformModel,
  topicName,
  wireFormatOf,
} from '@lakewall/platform-model';
import { ensureStackUp, kafkaClientConfig, pgConnectionConfig, registryUrl } from '../src/index';
import { readChangeEvents, registerDebezium, sampleRow, topicEndOffsets } from '../src/cdc';
import { registerIcebergSinks, scanLakeTable } from '../src/lake';
import { releaseSinkPastEnd } from '../src/sink-release';
import { stackContext } from '../src/context';

const original = loadPlatformModel();
const TABLE = 'market_data';
const PUBLIC_COLUMN = 'venue_note';
const MNPI_COLUMN = 'internal_spread';
const topic = topicName(original, TABLE, 'public');
const subject = `${topic}-value`;
const lakeTable = `${original.project}_raw_public.${TABLE}`;

function evolvedModelFile(): string {
  const doc = parseDocument(fs.readFileSync(DEFAULT_MODEL_PATH, 'utf8'));
  doc.addIn(['tables', TABLE, 'columns'], { name: PUBLIC_COLUMN, type: 'text', nullable: true });
  doc.addIn(['tables', TABLE, 'columns'], {
    name: MNPI_COLUMN,
    type: 'numeric(20,8)',
    nullable: true,
    classification: 'mnpi',
  });
  const file = path.join(stackContext().state, 'schema-evolution.platform.yaml');
  fs.writeFileSync(file, doc.toString());
  return file;
}

async function sql(statement: string): Promise<void> {
  const pg = new Client(pgConnectionConfig('admin'));
  await pg.connect();
  try {
    await pg.query(statement);
  } finally {
    await pg.end();
  }
}

async function registry<T>(p: string): Promise<T> {
  const res = await fetch(`${registryUrl()}${p}`, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`registry GET ${p}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

describe('a column added to a public table', () => {
  const schema = original.source.schema;
  const modelFile = evolvedModelFile();
  const evolved = parsePlatformModel(fs.readFileSync(modelFile, 'utf8'), modelFile);

  beforeAll(async () => {
    expect(wireFormatOf(original, 'local')).toBe('avro');
    await sql(
      `ALTER TABLE "${schema}"."${TABLE}" ADD COLUMN IF NOT EXISTS "${PUBLIC_COLUMN}" text, ` +
        `ADD COLUMN IF NOT EXISTS "${MNPI_COLUMN}" numeric(20,8)`,
    );
    process.env.LAKEWALL_MODEL = modelFile;
    await ensureStackUp();
    // The Iceberg table gains the column first; the sink's writers pick the new schema up when
    // they are next created, after a commit: one interval later, the row is written with it.
    await registerIcebergSinks(evolved).catch(() => releaseSinkPastEnd(evolved, 'public'));
    await registerDebezium(evolved);
    await sleep(evolved.environments.local.lake.commitIntervalMs + 2000);
  });

  afterAll(async () => {
    delete process.env.LAKEWALL_MODEL;
    await sql(
      `ALTER TABLE "${schema}"."${TABLE}" DROP COLUMN IF EXISTS "${PUBLIC_COLUMN}", ` +
        `DROP COLUMN IF EXISTS "${MNPI_COLUMN}"`,
    );
    await ensureStackUp();
    await registerDebezium(original);
    fs.rmSync(modelFile, { force: true });
  });

  it('reaches the topic, the registry as a compatible version and the Iceberg table; the MNPI column reaches none', async () => {
    // None yet on a fresh stack where no row of the table was ever written.
    const versionsBefore = await registry<number[]>(
      `/subjects/${encodeURIComponent(subject)}/versions`,
    ).catch((e: Error) => {
      if (/HTTP 404/.test(e.message)) return [];
      throw e;
    });
    const id = Date.now() % 1_000_000;
    const row = {
      ...sampleRow(original, TABLE, id),
      instrument_id: `evolved-${id}`,
      [PUBLIC_COLUMN]: `note-${id}`,
      [MNPI_COLUMN]: '12.34567890',
    };
    const startAt = await topicEndOffsets(topic, 'admin');
    const cols = Object.keys(row);
    const pg = new Client(pgConnectionConfig('admin'));
    await pg.connect();
    try {
      await pg.query(
        `INSERT INTO "${schema}"."${TABLE}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
        Object.values(row),
      );
    } finally {
      await pg.end();
    }

    // The topic: the public column with its value, the MNPI column absent.
    const events = await readChangeEvents(
      topic,
      { principal: 'admin', group: `lakewall-schema-evolution-${id}` },
      (evs) => evs.some((e) => e.after?.instrument_id === row.instrument_id),
      60_000,
      startAt,
      kafkaClientConfig('admin'),
    );
    const event = events.find((e) => e.after?.instrument_id === row.instrument_id)!;
    expect(event.after?.[PUBLIC_COLUMN]).toBe(row[PUBLIC_COLUMN]);
    expect(event.after).not.toHaveProperty(MNPI_COLUMN);

    // The registry: a new version under the subject's rule, naming the public column only.
    const versions = await registry<number[]>(`/subjects/${encodeURIComponent(subject)}/versions`);
    expect(versions.length).toBeGreaterThan(versionsBefore.length);
    const latest = await registry<{ schema: string }>(
      `/subjects/${encodeURIComponent(subject)}/versions/latest`,
    );
    expect(latest.schema).toContain(`"${PUBLIC_COLUMN}"`);
    expect(latest.schema).not.toContain(MNPI_COLUMN);
    const compat = await registry<{ compatibilityLevel?: string }>(`/config/${encodeURIComponent(subject)}`);
    expect(compat.compatibilityLevel).toBe('BACKWARD');

    // The lake: the column was added to the Iceberg table, and the row carries its value.
    const until = Date.now() + 120_000;
    let rows = await scanLakeTable(lakeTable, -1, { instrument_id: [row.instrument_id] });
    while (rows.length === 0 && Date.now() < until) {
      await sleep(2000);
      rows = await scanLakeTable(lakeTable, -1, { instrument_id: [row.instrument_id] });
    }
    expect(rows).toHaveLength(1);
    expect(rows[0]![PUBLIC_COLUMN]).toBe(row[PUBLIC_COLUMN]);
    expect(rows[0]).not.toHaveProperty(MNPI_COLUMN);
  });
});
