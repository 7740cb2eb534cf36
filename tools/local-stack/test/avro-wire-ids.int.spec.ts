/**
 * Which id the Avro converter writes into each record, proven on the real registry: with several
 * subjects and several versions, and with the registry's global ids and content ids apart, every
 * record Debezium writes through the model's converters decodes through the registry's Confluent
 * API with @kafkajs/confluent-schema-registry (the shared decoder), and the id in its bytes is the
 * content id of its subject's version, not the global id.
 */
import { loadPlatformModel } from '@lakewall/platform-model';
import { decodeBytes, isPlainObject } from '@lakewall/record-checker';
import { cdcDecoder } from '../src/cdc';
import { stackContext } from '../src/context';
import { registryUrl } from '../src/index';
import { ScratchDebezium } from './scratch-debezium';

const model = loadPlatformModel();
const registryV3 = `http://127.0.0.1:${stackContext().ports.registry}/apis/registry/v3`;
const scratch = new ScratchDebezium(model, ['alpha', 'beta']);

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
    const res = await fetch(`${registryUrl()}/subjects/${scratch.prefix}-seed${n}-value/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body,
    });
    expect(res.status).toBe(200);
  }
  const [second] = await versionsOf(`${scratch.prefix}-seed2-value`);
  expect(second!.globalId).not.toBe(second!.contentId);
}

afterAll(() => scratch.stop());

it('writes content ids that the Confluent API decodes, across subjects and versions', async () => {
  await separateGlobalFromContentIds();
  const config = await scratch.start();
  expect(config['value.converter']).toBe('io.apicurio.registry.utils.converter.AvroConverter');

  // Version 1 of each subject, then a nullable column each: version 2.
  const { schema, tables } = scratch;
  await scratch.sql(tables.map((t) => `INSERT INTO ${schema}.${t} VALUES (1, '${t}-one')`));
  await scratch.sql(tables.map((t) => `ALTER TABLE ${schema}.${t} ADD COLUMN w text`));
  await scratch.sql(tables.map((t) => `INSERT INTO ${schema}.${t} VALUES (2, '${t}-two', '${t}-w')`));
  // Debezium registers each version as it writes the first record with it.
  for (const t of tables) await waitForVersions(`${scratch.topicOf(t)}-value`, 2);

  const avro = cdcDecoder();
  let apart = 0;
  for (const t of tables) {
    const values = await scratch.read(t, 2);
    const versions = await versionsOf(`${scratch.topicOf(t)}-value`);
    expect(versions.map((v) => v.version)).toEqual(['1', '2']);
    const rows: unknown[] = [];
    for (const [i, bytes] of values.entries()) {
      expect(bytes[0]).toBe(0);
      // The id is the content id of this record's version, never a global id.
      expect(bytes.readInt32BE(1)).toBe(versions[i]!.contentId);
      if (versions[i]!.globalId !== versions[i]!.contentId) apart++;
      const decoded = await decodeBytes(bytes, avro);
      expect(decoded).toMatchObject({ ok: true, format: 'avro' });
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
