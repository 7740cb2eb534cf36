/**
 * Which id the Avro converter writes into each record, proven on the real registry: with several
 * subjects and several versions, and with the registry's global ids and content ids apart, every
 * record Debezium writes through the model's converters decodes through the registry's Confluent
 * API with @kafkajs/confluent-schema-registry (the shared decoder), and the id in its bytes is the
 * content id of its subject's version, not the global id.
 *
 * It runs its own Debezium connector on a scratch schema (own tables, publication, slot and topics,
 * granted to the Debezium principal for the test's duration), so the CDC subjects stay untouched.
 */
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
} from 'kafkajs';
import { Client } from 'pg';
import {
  cdcSourcePrincipal,
  deriveDebeziumConnectorConfig,
  kafkaPrincipal,
  loadPlatformModel,
} from '@lakewall/platform-model';
import { decodeBytes, isPlainObject } from '@lakewall/record-checker';
import { cdcDecoder } from '../src/cdc';
import { stackContext } from '../src/context';
import {
  connectClient,
  debeziumConnection,
  kafkaClientConfig,
  pgConnectionConfig,
  registryUrl,
} from '../src/index';

const model = loadPlatformModel();
const ctx = stackContext();
const run = `${Date.now()}`;
const schema = `avro_ids_${run}`;
const prefix = `lakewall-avro-ids-${run}`;
const connector = `lakewall-avro-ids-${run}`;
const slot = `lakewall_avro_ids_${run}`;
const publication = slot;
const tables = ['alpha', 'beta'] as const;
const topicOf = (t: string): string => `${prefix}.${schema}.${t}`;
const registryV3 = `http://127.0.0.1:${ctx.ports.registry}/apis/registry/v3`;
const producer = kafkaPrincipal(cdcSourcePrincipal(model, 'local')!);
const acls = [AclOperationTypes.CREATE, AclOperationTypes.WRITE, AclOperationTypes.DESCRIBE].map(
  (operation) => ({
    resourceType: AclResourceTypes.TOPIC,
    resourceName: prefix,
    resourcePatternType: ResourcePatternTypes.PREFIXED,
    principal: producer,
    host: '*',
    operation,
    permissionType: AclPermissionTypes.ALLOW,
  }),
);

interface VersionMeta {
  version: string;
  globalId: number;
  contentId: number;
}

async function versionsOf(subject: string): Promise<VersionMeta[]> {
  const res = await fetch(`${registryV3}/groups/default/artifacts/${encodeURIComponent(subject)}/versions`);
  if (!res.ok) throw new Error(`registry: ${subject}: HTTP ${res.status}`);
  return ((await res.json()) as { versions: VersionMeta[] }).versions;
}

async function waitForVersions(subject: string, count: number): Promise<void> {
  const until = Date.now() + 90_000;
  while ((await versionsOf(subject).catch(() => [])).length < count) {
    if (Date.now() > until) throw new Error(`${subject}: fewer than ${count} versions after 90 s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function sql(statements: string[]): Promise<void> {
  const pg = new Client(pgConnectionConfig('admin'));
  await pg.connect();
  try {
    for (const s of statements) await pg.query(s);
  } finally {
    await pg.end();
  }
}

/** Registers one schema under two subjects: one content id, two global ids, so the two sequences part. */
async function separateGlobalFromContentIds(): Promise<void> {
  const body = JSON.stringify({
    schema: JSON.stringify({
      type: 'record',
      name: 'Seed',
      namespace: 'lakewall.local.test',
      fields: [{ name: 'n', type: 'long' }],
    }),
  });
  for (const n of [1, 2]) {
    const res = await fetch(`${registryUrl()}/subjects/${prefix}-seed${n}-value/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body,
    });
    expect(res.status).toBe(200);
  }
  const [second] = await versionsOf(`${prefix}-seed2-value`);
  expect(second!.globalId).not.toBe(second!.contentId);
}

async function readTopic(topic: string, count: number): Promise<Buffer[]> {
  const consumer = new Kafka({ ...kafkaClientConfig('admin'), logLevel: logLevel.NOTHING }).consumer({
    groupId: `${connector}-reader-${topic}`,
  });
  const values: Buffer[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${topic}: ${values.length} of ${count} records in 90 s`)),
        90_000,
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (message.value) values.push(message.value);
          if (values.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}

beforeAll(async () => {
  await sql([
    `CREATE SCHEMA ${schema}`,
    ...tables.map((t) => `CREATE TABLE ${schema}.${t} (id bigint PRIMARY KEY, v text NOT NULL)`),
    `GRANT USAGE ON SCHEMA ${schema} TO ${model.source.debeziumRole}`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${model.source.debeziumRole}`,
    `CREATE PUBLICATION ${publication} FOR TABLE ${tables.map((t) => `${schema}.${t}`).join(', ')}`,
  ]);
  const admin = new Kafka({ ...kafkaClientConfig('admin'), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createAcls({ acl: acls });
  } finally {
    await admin.disconnect();
  }
});

afterAll(async () => {
  await connectClient()
    .deleteConnector(connector)
    .catch(() => undefined);
  const admin = new Kafka({ ...kafkaClientConfig('admin'), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.deleteAcls({ filters: acls });
    await admin.deleteTopics({ topics: tables.map(topicOf) }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
  // The slot stays active until the task has stopped.
  for (let i = 0; i < 30; i++) {
    try {
      await sql([
        `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '${slot}'`,
      ]);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  await sql([`DROP PUBLICATION IF EXISTS ${publication}`, `DROP SCHEMA IF EXISTS ${schema} CASCADE`]);
});

it('writes content ids that the Confluent API decodes, across subjects and versions', async () => {
  await separateGlobalFromContentIds();

  // The model's Debezium config (its converters included), pointed at the scratch schema.
  const base = deriveDebeziumConnectorConfig(model, 'local', debeziumConnection()).config;
  const config: Record<string, string> = Object.fromEntries(
    Object.entries(base).filter(([k]) => !k.startsWith('transforms') && k !== 'column.exclude.list'),
  );
  Object.assign(config, {
    'topic.prefix': prefix,
    'schema.include.list': schema,
    'table.include.list': tables.map((t) => `${schema}\\.${t}`).join(','),
    'publication.name': publication,
    'slot.name': slot,
    'snapshot.mode': 'no_data',
    'heartbeat.interval.ms': '0',
  });
  expect(config['value.converter']).toBe('io.apicurio.registry.utils.converter.AvroConverter');
  await connectClient().upsertConnector(connector, config);
  await connectClient().waitForConnectorRunning(connector, 120_000);

  // Version 1 of each subject, then a nullable column each: version 2.
  await sql(tables.map((t) => `INSERT INTO ${schema}.${t} VALUES (1, '${t}-one')`));
  await sql(tables.flatMap((t) => [`ALTER TABLE ${schema}.${t} ADD COLUMN w text`]));
  await sql(tables.map((t) => `INSERT INTO ${schema}.${t} VALUES (2, '${t}-two', '${t}-w')`));

  // Debezium registers each version as it writes the first record with it.
  for (const t of tables) await waitForVersions(`${topicOf(t)}-value`, 2);

  const avro = cdcDecoder();
  let apart = 0;
  for (const t of tables) {
    const values = await readTopic(topicOf(t), 2);
    const versions = await versionsOf(`${topicOf(t)}-value`);
    expect(versions.map((v) => v.version)).toEqual(['1', '2']);
    const rows: unknown[] = [];
    for (const [i, bytes] of values.entries()) {
      expect(bytes[0]).toBe(0);
      const id = bytes.readInt32BE(1);
      // The id is the content id of this record's version, never a global id.
      expect(id).toBe(versions[i]!.contentId);
      if (versions[i]!.globalId !== versions[i]!.contentId) apart++;
      const decoded = await decodeBytes(bytes, avro);
      expect(decoded.ok).toBe(true);
      if (decoded.ok && isPlainObject(decoded.value)) rows.push(decoded.value.after);
    }
    expect(rows).toEqual([
      { id: 1, v: `${t}-one` },
      { id: 2, v: `${t}-two`, w: `${t}-w` },
    ]);
  }
  // The test tells the two ids apart: had the converter written global ids, they would differ.
  expect(apart).toBe(4);
});
