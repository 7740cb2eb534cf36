import type { PlatformModel } from '../schema';
import { tablesOf } from './tables';

/** A row for any model table, every column filled from `id` by its type: for tests and the demo. */
export function sampleRow(model: PlatformModel, table: string, id: number): Record<string, unknown> {
  const t = tablesOf(model).find((x) => x.name === table);
  if (!t) throw new Error(`table ${table} is not in the platform model`);
  const value = (name: string, type: string): unknown => {
    const decimal = /^numeric\(\d+,(\d+)\)$/.exec(type);
    if (decimal) return (100 + (id % 1000) / 8).toFixed(Number(decimal[1]));
    if (type === 'bigint') return id;
    if (type === 'integer' || type === 'smallint') return id % 30000;
    if (type === 'timestamptz' || type === 'timestamp') return new Date().toISOString();
    if (type === 'boolean') return id % 2 === 0;
    if (type === 'double precision') return id / 4;
    if (type === 'date') return new Date().toISOString().slice(0, 10);
    return `${name}-${id}`;
  };
  return Object.fromEntries(t.columns.map((c) => [c.name, value(c.name, c.type)]));
}
