import { RecordChecker, type CheckResult } from '../src';
import {
  avroEnvelopeSchema,
  avroSourceOf,
  envelope,
  json,
  MemoryAvroSource,
  rec,
  row,
  rules,
  SECRET,
  wire,
  withSchema,
} from './fixtures';

const MD = 'cdc.market_data.public';
const REF = 'cdc.reference_data.public';
const checker = new RecordChecker(rules);
const kinds = (r: CheckResult) => r.findings.map((f) => f.kind).sort();

describe('clean Debezium JSON passes', () => {
  it.each(['c', 'r'])('op %s without schemas: a change of a known table, no findings', async (op) => {
    const r = await checker.check(
      rec(MD, json(envelope('market_data', { op })), json({ instrument_id: 'X', quoted_at: 'T' })),
    );
    expect(r).toMatchObject({
      event: 'change',
      op,
      table: 'market_data',
      format: 'json',
      sourceTsMs: 1_700_000_000_000,
    });
    expect(r.findings).toEqual([]);
  });

  it('with schemas ({schema, payload}) for key and value', async () => {
    const r = await checker.check(
      rec(REF, json(withSchema(envelope('reference_data'))), json(withSchema({ instrument_id: 'X' }))),
    );
    expect(r).toMatchObject({ event: 'change', table: 'reference_data' });
    expect(r.findings).toEqual([]);
  });

  it('updates with before and after images, deletes, truncates', async () => {
    const update = envelope('market_data', {
      op: 'u',
      before: row('market_data'),
      after: row('market_data'),
    });
    const del = envelope('market_data', {
      op: 'd',
      before: { instrument_id: 'X', quoted_at: 'T', bid: null, ask: null, last: null, volume: 0 },
    });
    const truncate = envelope('market_data', { op: 't' });
    for (const v of [update, del, truncate]) {
      const r = await checker.check(rec(MD, json(v)));
      expect(r.event).toBe('change');
      expect(r.findings).toEqual([]);
    }
  });

  it('tombstones and heartbeats are not findings', async () => {
    const tomb = await checker.check(rec(MD, null, json({ instrument_id: 'X', quoted_at: 'T' })));
    expect(tomb).toMatchObject({ event: 'tombstone', table: 'market_data', findings: [] });
    const beat = await checker.check(
      rec(MD, json({ ts_ms: 1_700_000_000_000 }), json({ serverName: 'lakewall-unrouted' })),
    );
    expect(beat).toMatchObject({ event: 'heartbeat', findings: [] });
  });
});

describe('route_violation', () => {
  it('a record of an MNPI table on a public topic, reported once and only as that', async () => {
    const r = await checker.check(rec(MD, json(envelope('trades')), json({ trade_id: 1 })));
    expect(kinds(r)).toEqual(['route_violation']);
    expect(r.findings[0]).toMatchObject({ topic: MD, table: 'trades', partition: 0 });
  });

  it('the same record on its own MNPI topic is fine', async () => {
    const r = await checker.check(rec('cdc.trades.mnpi', json(envelope('trades'))));
    expect(r.findings).toEqual([]);
  });

  it('a topic the model does not declare counts as public (fail closed)', async () => {
    const r = await checker.check(rec('cdc.trades.mnpi2', json(envelope('trades'))));
    expect(kinds(r)).toEqual(['route_violation']);
  });
});

describe('restricted_column', () => {
  const restricted = { ...row('reference_data'), internal_credit_rating: SECRET };

  it('in the after image', async () => {
    const r = await checker.check(rec(REF, json(envelope('reference_data', { after: restricted }))));
    expect(kinds(r)).toEqual(['restricted_column']);
    expect(r.findings[0]!.fields).toEqual(['internal_credit_rating']);
  });

  it("in the update's before image only", async () => {
    const v = envelope('reference_data', { op: 'u', before: restricted, after: row('reference_data') });
    const r = await checker.check(rec(REF, json(v)));
    expect(kinds(r)).toEqual(['restricted_column']);
  });

  it('in the key', async () => {
    const r = await checker.check(
      rec(
        REF,
        json(envelope('reference_data')),
        json({ instrument_id: 'X', internal_credit_rating: SECRET }),
      ),
    );
    expect(kinds(r)).toEqual(['restricted_column']);
  });

  it('whatever its value: null counts', async () => {
    const v = envelope('reference_data', {
      after: { ...row('reference_data'), internal_credit_rating: null },
    });
    expect(kinds(await checker.check(rec(REF, json(withSchema(v)))))).toEqual(['restricted_column']);
  });

  it('in a tombstone key, checked against the topic’s table', async () => {
    const r = await checker.check(rec(REF, null, json({ instrument_id: 'X', internal_credit_rating: 'AA' })));
    expect(kinds(r)).toEqual(['restricted_column']);
  });
});

describe('unknown_table (exact comparison)', () => {
  it.each([
    ['another database', { db: 'trading_copy' }],
    ['another schema', { schema: 'staging' }],
  ])('%s', async (_name, o) => {
    const r = await checker.check(rec(MD, json(envelope('market_data', o))));
    expect(kinds(r)).toEqual(['unknown_table']);
    expect(r.findings[0]!.table).toBe('unknown');
  });

  it('a table the model does not declare, or differs only in case', async () => {
    for (const t of ['market_data_v2', 'Market_Data']) {
      const r = await checker.check(rec(MD, json(envelope(t, { after: { instrument_id: 'X' } }))));
      expect(kinds(r)).toEqual(['unknown_table']);
      expect(r.table).toBeUndefined();
    }
  });

  it('a logical decoding message (op m) names no model table', async () => {
    const v = { ...envelope('', { op: 'm', after: null }), message: { prefix: 'p', content: 'AAAA' } };
    expect(kinds(await checker.check(rec(MD, json(v))))).toEqual(['unknown_table']);
  });
});

describe('unknown_column', () => {
  it('a field the model does not declare for the table, in an image or the key', async () => {
    const r1 = await checker.check(
      rec(MD, json(envelope('market_data', { after: { ...row('market_data'), spread: 1 } }))),
    );
    expect(kinds(r1)).toEqual(['unknown_column']);
    expect(r1.findings[0]!.fields).toEqual(['spread']);
    const r2 = await checker.check(
      rec(MD, json(envelope('market_data')), json({ instrument_id: 'X', venue_id: 1 })),
    );
    expect(kinds(r2)).toEqual(['unknown_column']);
  });

  it('reports restricted and unknown fields of one record as two findings', async () => {
    const after = { ...row('reference_data'), internal_credit_rating: 'AA', shadow: 1 };
    const r = await checker.check(rec(REF, json(envelope('reference_data', { after }))));
    expect(kinds(r)).toEqual(['restricted_column', 'unknown_column']);
  });
});

describe('undecodable', () => {
  it.each([
    ['bytes that are neither wire format nor JSON', Buffer.from([0x7b, 0xff, 0x01])],
    ['JSON that is not an envelope', json({ hello: 'world' })],
    ['a JSON array', json([1, 2])],
    ['a JSON string', json('text')],
    ['an envelope with an unknown op', json({ ...envelope('market_data'), op: 'x' })],
    ['an empty value', Buffer.alloc(0)],
  ])('%s', async (_name, value) => {
    const r = await checker.check(rec(MD, value));
    expect(r.event).toBe('undecodable');
    expect(kinds(r)).toEqual(['undecodable']);
  });

  it('the Confluent wire format when no registry is configured', async () => {
    expect(kinds(await checker.check(rec(MD, wire(1, Buffer.from('x')))))).toEqual(['undecodable']);
  });

  it('an undecodable key', async () => {
    const r = await checker.check(rec(MD, json(envelope('market_data')), Buffer.from('not json')));
    expect(kinds(r)).toEqual(['undecodable']);
  });
});

describe('schema change events', () => {
  const ddl = (id: string, columns: string[]) => ({
    source: { ...(envelope('market_data').source as object), table: null },
    databaseName: 'trading',
    schemaName: 'public',
    ddl: 'ALTER TABLE ...',
    tableChanges: [{ type: 'ALTER', id, table: { columns: columns.map((name) => ({ name })) } }],
  });

  it('a known table with declared columns is clean', async () => {
    const r = await checker.check(
      rec(MD, json(ddl('"trading"."public"."market_data"', ['instrument_id', 'bid']))),
    );
    expect(r).toMatchObject({ event: 'schema_change', findings: [] });
  });

  it('a new column, an unknown table, an MNPI table', async () => {
    expect(
      kinds(await checker.check(rec(MD, json(ddl('"trading"."public"."market_data"', ['bid', 'spread']))))),
    ).toEqual(['unknown_column']);
    expect(kinds(await checker.check(rec(MD, json(ddl('"trading"."public"."secret_book"', ['x'])))))).toEqual(
      ['unknown_table'],
    );
    expect(
      kinds(await checker.check(rec(MD, json(ddl('"trading"."public"."orders"', ['order_id']))))),
    ).toEqual(['route_violation']);
  });
});

describe('Avro in the Confluent wire format', () => {
  const source = new MemoryAvroSource();
  const avroChecker = new RecordChecker(rules, source);
  const mdRow = row('market_data');
  const mdType = source.register(11, avroEnvelopeSchema('market_data', mdRow));
  const keyType = source.register(12, {
    type: 'record',
    name: 'Key',
    fields: [{ name: 'instrument_id', type: 'string' }],
  });
  const refRow = { ...row('reference_data'), internal_credit_rating: SECRET };
  const refType = source.register(21, avroEnvelopeSchema('reference_data', refRow));
  const encode = (type: typeof mdType, id: number, v: unknown) => wire(id, type.toBuffer(v));
  const avroEnvelope = (
    table: string,
    after: Record<string, unknown>,
    before: Record<string, unknown> | null = null,
  ) => {
    const e = envelope(table, { after, before });
    return { before, after, source: avroSourceOf(e), op: e.op, ts_ms: e.ts_ms };
  };

  it('decodes key and value through the schema source and passes clean records', async () => {
    const r = await avroChecker.check(
      rec(
        MD,
        encode(mdType, 11, avroEnvelope('market_data', mdRow)),
        encode(keyType, 12, { instrument_id: 'X' }),
      ),
    );
    expect(r).toMatchObject({ event: 'change', format: 'avro', table: 'market_data', findings: [] });
  });

  it('finds a restricted column the writer schema carries, even when null', async () => {
    const r = await avroChecker.check(
      rec(
        REF,
        encode(refType, 21, avroEnvelope('reference_data', { ...refRow, internal_credit_rating: null })),
      ),
    );
    expect(kinds(r)).toEqual(['restricted_column']);
  });

  it('an unknown schema id or a corrupt body is undecodable', async () => {
    expect(kinds(await avroChecker.check(rec(MD, wire(99, Buffer.from([1, 2, 3])))))).toEqual([
      'undecodable',
    ]);
    expect(kinds(await avroChecker.check(rec(MD, wire(11, Buffer.from([0xff, 0xff, 0xff])))))).toEqual([
      'undecodable',
    ]);
  });

  it('rejects (so the caller retries) when the registry cannot be reached', async () => {
    source.failing = true;
    try {
      await expect(
        avroChecker.check(rec(MD, encode(mdType, 11, avroEnvelope('market_data', mdRow)))),
      ).rejects.toThrow(/unreachable/);
    } finally {
      source.failing = false;
    }
  });
});

describe('findings never carry a value', () => {
  it('not in the reason, the fields or anywhere else', async () => {
    const leaks = [
      envelope('reference_data', { after: { ...row('reference_data'), internal_credit_rating: SECRET } }),
      envelope('trades', { after: { ...row('trades'), account_id: SECRET } }),
      envelope('market_data', { after: { ...row('market_data'), [`x_${'y'.repeat(100)}`]: SECRET } }),
    ];
    for (const v of leaks) {
      const r = await checker.check(rec(REF, json(v), json({ instrument_id: SECRET })));
      expect(r.findings.length).toBeGreaterThan(0);
      expect(JSON.stringify(r)).not.toContain(SECRET);
    }
  });

  it('record-supplied names are sanitised and bounded for the log', async () => {
    const r = await checker.check(
      rec(MD, json(envelope('market_data', { after: { ...row('market_data'), 'evil\nline="x"': 1 } }))),
    );
    expect(r.findings[0]!.fields).toEqual(['evil?line??x?']);
  });
});

describe('checkNow, the fast path without waiting', () => {
  it('gives the same result as check for JSON', async () => {
    const r = rec(
      REF,
      json(envelope('reference_data', { after: { ...row('reference_data'), internal_credit_rating: 'A' } })),
    );
    expect(checker.checkNow(r)).toEqual(await checker.check(r));
  });

  it('defers Avro to check until the schema source knows the id, then answers at once', async () => {
    const source = new MemoryAvroSource();
    const mdRow = row('market_data');
    const type = source.register(31, avroEnvelopeSchema('market_data', mdRow));
    const e = envelope('market_data', { after: mdRow });
    const value = wire(
      31,
      type.toBuffer({ before: null, after: mdRow, source: avroSourceOf(e), op: 'c', ts_ms: 1 }),
    );
    const withoutPeek = new RecordChecker(rules, { readerFor: (id) => source.readerFor(id) });
    expect(withoutPeek.checkNow(rec(MD, value))).toBeUndefined();
    const withPeek = new RecordChecker(rules, source);
    expect(withPeek.checkNow(rec(MD, value))).toMatchObject({
      event: 'change',
      format: 'avro',
      findings: [],
    });
    expect(withPeek.checkNow(rec(MD, wire(77, Buffer.from([1]))))!.findings.map((f) => f.kind)).toEqual([
      'undecodable',
    ]);
  });
});
