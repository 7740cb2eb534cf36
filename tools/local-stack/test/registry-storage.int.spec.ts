/**
 * The registry as the CDC path uses it: its schemas in PostgreSQL (its own database and role), so a
 * restart loses none, and each CDC subject's compatibility rule from the model, enforced by the
 * registry itself on the subjects Debezium registered.
 */
import { Client } from 'pg';
import {
  cdcSubjects,
  debeziumHeartbeatTopic,
  topicName,
  loadPlatformModel,
  parsePlatformModel,
  type PlatformModel,
} from '@lakewall/platform-model';
import { parseDocument } from 'yaml';
import { readFileSync } from 'node:fs';
import { DEFAULT_MODEL_PATH } from '@lakewall/platform-model';
import { freshId, insertRows, sampleRow } from '../src/cdc';
import { stackContext } from '../src/context';
import { Kafka, logLevel } from 'kafkajs';
import {
  connectClient,
  ensureStackUp,
  kafkaClientConfig,
  pgConnectionConfig,
  readStackStatus,
  registryUrl,
} from '../src/index';
import { applySubjectCompatibility, subjectCompatibility } from '@lakewall/schema-rules';
import { stopComponent } from '../src/stop';

const model = loadPlatformModel();
const ctx = stackContext();
const CONFLUENT_JSON = { 'content-type': 'application/vnd.schemaregistry.v1+json' };
const SUBJECT_TABLE = 'market_data';
const subject = cdcSubjects(model, 'local').find((s) => s.table === SUBJECT_TABLE && s.part === 'value')!;

async function getJson<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${registryUrl()}${path}`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: (await res.json()) as T };
}

async function postJson<T>(path: string, body: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${registryUrl()}${path}`, {
    method: 'POST',
    headers: CONFLUENT_JSON,
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** The subject's latest schema, once Debezium has registered it (a change to the table makes it). */
async function latestSchema(): Promise<{ id: number; version: number; schema: string }> {
  await insertRows(model, SUBJECT_TABLE, [sampleRow(model, SUBJECT_TABLE, freshId())]);
  const until = Date.now() + 90_000;
  for (;;) {
    const r = await getJson<{ id: number; version: number; schema: string }>(
      `/subjects/${encodeURIComponent(subject.subject)}/versions/latest`,
    );
    if (r.status === 200) return r.body;
    if (Date.now() > until) throw new Error(`Debezium never registered ${subject.subject}`);
    await new Promise((res) => setTimeout(res, 1000));
  }
}

/** Debezium's value schema with one more field in the row record (`Value`, in before/after). */
/** Waits until each topic has a record written after now (read as the local super user). */
async function newRecordsOn(topics: string[]): Promise<void> {
  const admin = new Kafka({ ...kafkaClientConfig('admin'), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const sum = async (t: string) =>
      (await admin.fetchTopicOffsets(t)).reduce((n, p) => n + Number(p.high), 0);
    const start = await Promise.all(topics.map(sum));
    const until = Date.now() + 3 * model.source.heartbeat.intervalMs + 10_000;
    while (!(await Promise.all(topics.map(sum))).every((n, i) => n > start[i]!)) {
      if (Date.now() > until) throw new Error(`Debezium wrote nothing to ${topics.join(', ')}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await admin.disconnect();
  }
}

function withRowField(schema: string, field: Record<string, unknown>): string {
  const envelope = JSON.parse(schema) as { fields: { name: string; type: unknown }[] };
  const before = envelope.fields.find((f) => f.name === 'before')!;
  const row = (before.type as unknown[]).find(
    (t): t is { fields: unknown[] } => typeof t === 'object' && t !== null && 'fields' in t,
  )!;
  row.fields.push(field);
  return JSON.stringify(envelope);
}

function modelWith(table: string, compatibility: string): PlatformModel {
  const doc = parseDocument(readFileSync(DEFAULT_MODEL_PATH, 'utf8'));
  doc.setIn(['tables', table, 'schemaCompatibility'], compatibility);
  return parsePlatformModel(doc.toString());
}

describe('the schema registry on PostgreSQL', () => {
  it("keeps its data in its own database, which only its role (not Debezium's) can reach", async () => {
    const admin = new Client(pgConnectionConfig('admin', model.schemaRegistry.database));
    await admin.connect();
    try {
      const owner = await admin.query<{ owner: string }>(
        'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
        [model.schemaRegistry.database],
      );
      expect(owner.rows[0]?.owner).toBe(model.schemaRegistry.role);
      const tables = await admin.query("SELECT 1 FROM pg_tables WHERE schemaname = 'public'");
      expect(tables.rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    const trading = new Client(pgConnectionConfig('admin'));
    await trading.connect();
    try {
      // Apicurio's tables (artifacts, versions, content) are nowhere in the trading database.
      const r = await trading.query(
        "SELECT tablename FROM pg_tables WHERE tablename IN ('artifacts', 'content', 'versions')",
      );
      expect(r.rows).toEqual([]);
    } finally {
      await trading.end();
    }
    const debezium = new Client(pgConnectionConfig(model.source.debeziumRole, model.schemaRegistry.database));
    await expect(debezium.connect()).rejects.toThrow(/permission denied|not permitted/);
    await debezium.end().catch(() => undefined);
  });

  it('loses no schema, version or rule across a restart', async () => {
    const name = `lakewall-restart-check-${Date.now()}-value`;
    const schema = JSON.stringify({
      type: 'record',
      name: 'RestartCheck',
      namespace: 'lakewall.local.test',
      fields: [{ name: 'n', type: 'long' }],
    });
    const registered = await postJson<{ id: number }>(`/subjects/${name}/versions`, { schema });
    expect(registered.status).toBe(200);
    const put = await fetch(`${registryUrl()}/config/${name}`, {
      method: 'PUT',
      headers: CONFLUENT_JSON,
      body: JSON.stringify({ compatibility: 'FULL' }),
    });
    expect(put.status).toBe(200);

    // What Debezium writes on its own while the registry is away (its heartbeats, the heartbeat
    // table's upserts) has registered schemas first: a first registration needs the registry.
    const own = [
      `${debeziumHeartbeatTopic(model)}-value`,
      `${topicName(model, model.source.heartbeat.table!, 'public')}-value`,
    ];
    const until = Date.now() + 60_000;
    for (const s of own)
      while ((await getJson(`/subjects/${encodeURIComponent(s)}/versions/latest`)).status !== 200) {
        if (Date.now() > until) throw new Error(`Debezium never registered ${s}`);
        await new Promise((r) => setTimeout(r, 1000));
      }

    // ...and the running Debezium task has written since it (re)started, so its converter holds
    // those schemas in memory: a restarted task looks each one up in the registry once.
    await newRecordsOn([
      debeziumHeartbeatTopic(model),
      topicName(model, model.source.heartbeat.table!, 'public'),
    ]);

    await stopComponent(ctx, 'registry', () => undefined);
    expect((await readStackStatus()).components.find((c) => c.name === 'registry')?.healthy).toBe(false);
    // Debezium writes heartbeats (and the sinks read records) while the registry is away: with the
    // schemas they already know, none of them needs it.
    await new Promise((r) => setTimeout(r, 2 * model.source.heartbeat.intervalMs));
    await ensureStackUp();
    for (const name of await connectClient().listConnectors()) {
      const status = await connectClient().connectorStatus(name);
      expect([name, [status?.connector.state, ...(status?.tasks ?? []).map((t) => t.state)]]).toEqual([
        name,
        expect.not.arrayContaining(['FAILED']),
      ]);
    }

    const byId = await getJson<{ schema: string }>(`/schemas/ids/${registered.body.id}`);
    expect(byId.status).toBe(200);
    expect(JSON.parse(byId.body.schema)).toEqual(JSON.parse(schema));
    expect((await getJson<number[]>(`/subjects/${name}/versions`)).body).toEqual([1]);
    expect(await subjectCompatibility(registryUrl(), name)).toBe('FULL');
  });
});

describe("CDC subjects' compatibility from the model", () => {
  it('holds the rule the model gives every CDC subject (BACKWARD unless a table says otherwise)', async () => {
    for (const s of cdcSubjects(model, 'local'))
      expect([s.subject, await subjectCompatibility(registryUrl(), s.subject)]).toEqual([
        s.subject,
        s.compatibility,
      ]);
  });

  it('rejects an incompatible candidate for a subject Debezium registered, and accepts a compatible one', async () => {
    const latest = await latestSchema();
    expect(subject.compatibility).toBe('BACKWARD');
    // A new required column without a default cannot read what is already in the topic.
    const breaking = withRowField(latest.schema, { name: 'lakewall_required', type: 'string' });
    const check = await postJson<{ is_compatible: boolean }>(
      `/compatibility/subjects/${encodeURIComponent(subject.subject)}/versions/latest`,
      { schema: breaking },
    );
    expect(check.body.is_compatible).toBe(false);
    const refused = await postJson<{ error_code: number }>(
      `/subjects/${encodeURIComponent(subject.subject)}/versions`,
      { schema: breaking },
    );
    expect(refused.status).toBe(409);
    // A new nullable column with a default can (checked only: the CDC subject gets no test version).
    const nullable = withRowField(latest.schema, {
      name: 'lakewall_optional',
      type: ['null', 'string'],
      default: null,
    });
    const ok = await postJson<{ is_compatible: boolean }>(
      `/compatibility/subjects/${encodeURIComponent(subject.subject)}/versions/latest`,
      { schema: nullable },
    );
    expect(ok.body.is_compatible).toBe(true);
    expect(
      (await getJson<{ version: number }>(`/subjects/${encodeURIComponent(subject.subject)}/versions/latest`))
        .body.version,
    ).toBe(latest.version);
  });

  it("applies a table's override, and the registry enforces it", async () => {
    try {
      const applied = await applySubjectCompatibility(
        modelWith(SUBJECT_TABLE, 'NONE'),
        'local',
        registryUrl(),
      );
      expect(applied.filter((a) => a.compatibility === 'NONE').map((a) => a.subject)).toEqual([
        `${subject.topic}-key`,
        subject.subject,
      ]);
      expect(await subjectCompatibility(registryUrl(), subject.subject)).toBe('NONE');
      const latest = await latestSchema();
      const breaking = withRowField(latest.schema, { name: 'lakewall_required', type: 'string' });
      const check = await postJson<{ is_compatible: boolean }>(
        `/compatibility/subjects/${encodeURIComponent(subject.subject)}/versions/latest`,
        { schema: breaking },
      );
      expect(check.body.is_compatible).toBe(true);
    } finally {
      await applySubjectCompatibility(model, 'local', registryUrl());
    }
    expect(await subjectCompatibility(registryUrl(), subject.subject)).toBe('BACKWARD');
  });
});
