import {
  deriveDebeziumConnectorConfig,
  deriveSourceDdl,
  loadPlatformModel,
  parsePlatformModel,
} from '../src';
import { editedModel } from './fixtures';

type Doc = Parameters<Parameters<typeof editedModel>[0]>[0];

const model = loadPlatformModel();
const conn = {
  hostname: 'db',
  port: 5432,
  database: 'trading',
  user: 'debezium',
  password: 'pw',
  kafkaUsername: 'debezium',
  kafkaPassword: 'kpw',
};

describe('the heartbeat table', () => {
  it("makes Debezium upsert the table's one row with each heartbeat", () => {
    const config = deriveDebeziumConnectorConfig(model, 'local', conn).config;
    expect(config['heartbeat.action.query']).toBe(
      'INSERT INTO "public"."cdc_heartbeat" ("id", "beat_at") VALUES (1, now()) ' +
        'ON CONFLICT ("id") DO UPDATE SET "beat_at" = EXCLUDED."beat_at"',
    );
    // Captured and routed like any other public table.
    expect(config['table.include.list']).toContain('public\\.cdc_heartbeat');
  });

  it('grants Debezium its one write: insert and update on that table only', () => {
    const grants = deriveSourceDdl(model)
      .split('\n')
      .filter((l) => l.startsWith('GRANT') && !l.includes('SELECT') && !l.includes('USAGE'));
    expect(grants).toEqual(['GRANT INSERT, UPDATE ON "public"."cdc_heartbeat" TO "debezium";']);
  });

  it('has no action query and no write grant without a heartbeat table', () => {
    const m = parsePlatformModel(editedModel((doc) => doc.deleteIn(['source', 'heartbeat', 'table'])));
    expect(deriveDebeziumConnectorConfig(m, 'local', conn).config['heartbeat.action.query']).toBeUndefined();
    expect(deriveSourceDdl(m)).not.toMatch(/GRANT INSERT/);
  });

  it.each([
    [
      'an unknown table',
      (d: Doc) => d.setIn(['source', 'heartbeat', 'table'], 'nope'),
      /not a table of the model/,
    ],
    [
      'an MNPI table',
      (d: Doc) => d.setIn(['tables', 'cdc_heartbeat', 'classification'], 'mnpi'),
      /must be public with no MNPI column/,
    ],
    [
      'a table without a timestamptz column',
      (d: Doc) => d.setIn(['tables', 'cdc_heartbeat', 'columns', 1, 'type'], 'text'),
      /needs a timestamptz column/,
    ],
  ])('refuses %s as the heartbeat table', (_what, edit, message) => {
    expect(() => parsePlatformModel(editedModel(edit))).toThrow(message);
  });
});
