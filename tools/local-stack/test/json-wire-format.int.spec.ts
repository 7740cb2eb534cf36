/**
 * The JSON wire format stays possible: with an environment's `wireFormat: json`, the model's Debezium
 * config writes schemaless JSON (no registry involved), which the shared decoder reads as JSON.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { DEFAULT_MODEL_PATH, parsePlatformModel } from '@lakewall/platform-model';
import { decodeBytes, isPlainObject } from '@lakewall/record-checker';
import { cdcDecoder } from '../src/cdc';
import { registryUrl } from '../src/index';
import { ScratchDebezium } from './scratch-debezium';

const doc = parseDocument(readFileSync(DEFAULT_MODEL_PATH, 'utf8'));
doc.setIn(['environments', 'local', 'wireFormat'], 'json');
const jsonModel = parsePlatformModel(doc.toString());
const scratch = new ScratchDebezium(jsonModel, ['gamma']);

afterAll(() => scratch.stop());

it('writes schemaless JSON that the shared decoder reads, and registers nothing', async () => {
  const config = await scratch.start();
  expect(config['value.converter']).toBe('org.apache.kafka.connect.json.JsonConverter');
  await scratch.sql([`INSERT INTO ${scratch.schema}.gamma VALUES (7, 'seven')`]);
  const [bytes] = await scratch.read('gamma', 1);
  expect(bytes!.toString('utf8').startsWith('{')).toBe(true);
  const decoded = await decodeBytes(bytes!, cdcDecoder());
  expect(decoded).toMatchObject({ ok: true, format: 'json' });
  if (decoded.ok && isPlainObject(decoded.value)) expect(decoded.value.after).toEqual({ id: 7, v: 'seven' });
  const subjects = (await (await fetch(`${registryUrl()}/subjects`)).json()) as string[];
  expect(subjects.filter((s) => s.startsWith(scratch.prefix))).toEqual([]);
});
