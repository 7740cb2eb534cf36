/** Debezium-shaped JSON change events (as the model-derived connector writes them), for injection. */
import { tablesOf } from '@lakewall/platform-model';
import { model } from './stack';

export function row(table: string): Record<string, unknown> {
  const t = tablesOf(model).find((x) => x.name === table)!;
  return Object.fromEntries(
    t.columns
      .filter((c) => c.classification !== 'mnpi' || t.classification === 'mnpi')
      .map((c) => [c.name, c.type === 'bigint' || c.type === 'integer' ? 7 : `v-${c.name}`]),
  );
}

export function changeEvent(
  table: string,
  o: { op?: string; before?: Record<string, unknown> | null; after?: Record<string, unknown> | null } = {},
): Buffer {
  const now = Date.now();
  return Buffer.from(
    JSON.stringify({
      before: o.before ?? null,
      after: o.after === undefined ? row(table) : o.after,
      source: {
        version: '3.4.3.Final',
        connector: 'postgresql',
        name: 'lakewall-unrouted',
        ts_ms: now - 50,
        snapshot: 'false',
        db: model.source.database,
        schema: model.source.schema,
        table,
      },
      op: o.op ?? 'c',
      ts_ms: now,
    }),
  );
}

export const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
