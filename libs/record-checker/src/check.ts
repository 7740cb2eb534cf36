/**
 * The record checker: one Kafka record in, its findings out, against the platform model's rules
 * only. Pure apart from the schema source it is given; never returns or logs a field value.
 */
import type { RecordCheckRules, ZoneName } from '@lakewall/platform-model';
import { decodeBytes, decodeBytesNow, isPlainObject, type AvroSchemaSource, type Decoded } from './decode';
import { classifyValue, type SourceRef } from './envelope';
import {
  safeName,
  UNKNOWN_TABLE_LABEL,
  type Finding,
  type FindingKind,
  type RecordLocation,
} from './findings';

export interface KafkaRecordInput extends RecordLocation {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

export type EventKind = 'change' | 'tombstone' | 'heartbeat' | 'schema_change' | 'undecodable';

export interface CheckResult {
  readonly event: EventKind;
  /** Debezium's op for change events (c, u, d, r, t, m). */
  readonly op?: string;
  /** The model table the record comes from, when it names one. */
  readonly table?: string;
  readonly format?: 'avro' | 'json';
  /** Debezium's source.ts_ms: when the change was committed in the source database. */
  readonly sourceTsMs?: number;
  readonly findings: readonly Finding[];
}

interface TableIndex {
  readonly zone: ZoneName;
  readonly published: ReadonlySet<string>;
  readonly restricted: ReadonlySet<string>;
}

/** Collects a record's findings, one per (kind, table), with the field names merged. */
class FindingSet {
  // Created on the first finding only: clean records (nearly all of them) allocate nothing here.
  private byKey:
    Map<string, { kind: FindingKind; table: string; fields: Set<string>; reason: string }> | undefined;
  add(kind: FindingKind, table: string, reason: string, fields: readonly string[] = []): void {
    this.byKey ??= new Map();
    const key = `${kind}|${table}`;
    const f = this.byKey.get(key) ?? { kind, table, fields: new Set<string>(), reason };
    for (const field of fields) f.fields.add(safeName(field));
    this.byKey.set(key, f);
  }
  list(at: RecordLocation): Finding[] {
    if (!this.byKey) return [];
    return [...this.byKey.values()].map((f) => ({
      kind: f.kind,
      topic: at.topic,
      table: f.table,
      partition: at.partition,
      offset: at.offset,
      ...(f.fields.size ? { fields: [...f.fields].sort() } : {}),
      reason: f.reason,
    }));
  }
}

export class RecordChecker {
  private readonly tables = new Map<string, TableIndex>();

  constructor(
    private readonly rules: RecordCheckRules,
    private readonly avro?: AvroSchemaSource,
  ) {
    for (const t of Object.values(rules.tables)) {
      this.tables.set(t.name, {
        zone: t.zone,
        published: new Set(t.publishedColumns),
        restricted: new Set(t.restrictedColumns),
      });
    }
  }

  /**
   * Checks one record. Rejects only on a transient failure (the schema registry unreachable): the
   * caller must then retry the record, not skip it.
   */
  async check(rec: KafkaRecordInput): Promise<CheckResult> {
    const value = rec.value === null ? null : await decodeBytes(rec.value, this.avro);
    const key = rec.key === null ? null : await decodeBytes(rec.key, this.avro);
    return this.evaluate(rec, value, key);
  }

  /**
   * The same check without waiting, when nothing needs the registry (JSON, or Avro whose schemas
   * are cached); undefined otherwise (then use check). The consumer's fast path.
   */
  checkNow(rec: KafkaRecordInput): CheckResult | undefined {
    const value = rec.value === null ? null : decodeBytesNow(rec.value, this.avro);
    if (value === undefined) return undefined;
    const key = rec.key === null ? null : decodeBytesNow(rec.key, this.avro);
    if (key === undefined) return undefined;
    return this.evaluate(rec, value, key);
  }

  private evaluate(rec: KafkaRecordInput, value: Decoded | null, keyDecoded: Decoded | null): CheckResult {
    const found = new FindingSet();
    const topicTable = this.rules.topics[rec.topic]?.table;
    if (value === null) {
      // A tombstone carries only the key: check it against the table the topic is declared for.
      const key = this.keyFields(keyDecoded, found);
      if (key && topicTable && this.tables.has(topicTable)) this.checkFields(topicTable, key, found);
      else if (key && key.length > 0)
        found.add('unknown_table', UNKNOWN_TABLE_LABEL, 'a tombstone on a topic the model does not declare');
      return { event: 'tombstone', table: topicTable, findings: found.list(rec) };
    }
    if (!value.ok) return this.undecodable(rec, `value: ${value.reason}`);
    const envelope = classifyValue(value.value);
    if (envelope.kind === 'unknown') return this.undecodable(rec, `value: ${envelope.reason}`, value.format);
    if (envelope.kind === 'heartbeat') return { event: 'heartbeat', format: value.format, findings: [] };

    const key = this.keyFields(keyDecoded, found);
    if (envelope.kind === 'schema_change') {
      for (const t of envelope.tables) {
        const table = this.resolveTable(t.ref, found);
        if (table && this.allowedOnTopic(table, rec.topic, found))
          this.checkFields(
            table,
            t.columns.map((c) => (typeof c === 'string' ? c : String(c))),
            found,
          );
      }
      return {
        event: 'schema_change',
        format: value.format,
        sourceTsMs: envelope.sourceTsMs,
        findings: found.list(rec),
      };
    }

    const table = this.resolveTable(envelope.source, found);
    if (table && this.allowedOnTopic(table, rec.topic, found)) {
      for (const image of envelope.images) this.checkFields(table, Object.keys(image), found);
      if (key) this.checkFields(table, key, found);
    }
    return {
      event: 'change',
      op: envelope.op,
      table,
      format: value.format,
      sourceTsMs: envelope.sourceTsMs,
      findings: found.list(rec),
    };
  }

  /** The key's field names; undefined (and an undecodable finding) when it is not a decodable struct. */
  private keyFields(decoded: Decoded | null, found: FindingSet): string[] | undefined {
    if (decoded === null) return undefined;
    if (!decoded.ok) {
      found.add('undecodable', UNKNOWN_TABLE_LABEL, `key: ${decoded.reason}`);
      return undefined;
    }
    if (!isPlainObject(decoded.value)) {
      found.add('undecodable', UNKNOWN_TABLE_LABEL, 'key: not a Debezium key struct');
      return undefined;
    }
    return Object.keys(decoded.value);
  }

  /** The model table a source reference names, compared exactly; else an unknown_table finding. */
  private resolveTable(ref: SourceRef, found: FindingSet): string | undefined {
    const known =
      ref.db === this.rules.database &&
      ref.schema === this.rules.schema &&
      typeof ref.table === 'string' &&
      this.tables.has(ref.table);
    if (known) return ref.table as string;
    found.add(
      'unknown_table',
      UNKNOWN_TABLE_LABEL,
      `source ${safeName(ref.db)}.${safeName(ref.schema)}.${safeName(ref.table)} is not a table of the model`,
    );
    return undefined;
  }

  /** False (and a route_violation) when an MNPI table's record sits on a topic outside the MNPI zone. */
  private allowedOnTopic(table: string, topic: string, found: FindingSet): boolean {
    // A topic the model does not declare is treated as public: fail closed.
    const topicZone = this.rules.topics[topic]?.zone ?? 'public';
    if (this.tables.get(table)!.zone === 'mnpi' && topicZone !== 'mnpi') {
      found.add('route_violation', table, `a record of the MNPI table ${table} on a ${topicZone} topic`);
      return false;
    }
    return true;
  }

  private checkFields(table: string, fields: readonly string[], found: FindingSet): void {
    const index = this.tables.get(table)!;
    const restricted = fields.filter((f) => index.restricted.has(f));
    const unknown = fields.filter((f) => !index.restricted.has(f) && !index.published.has(f));
    if (restricted.length)
      found.add('restricted_column', table, `MNPI column(s) of ${table} present`, restricted);
    if (unknown.length)
      found.add('unknown_column', table, `field(s) the model does not declare for ${table}`, unknown);
  }

  private undecodable(rec: RecordLocation, reason: string, format?: 'avro' | 'json'): CheckResult {
    const found = new FindingSet();
    found.add('undecodable', UNKNOWN_TABLE_LABEL, reason);
    return { event: 'undecodable', format, findings: found.list(rec) };
  }
}
