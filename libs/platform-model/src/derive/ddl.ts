import type { PlatformModel } from '../schema';
import { tablesOf } from './tables';

const quote = (identifier: string) => `"${identifier}"`;

/**
 * The source schema: the tables, and a publication over exactly the model's tables (created here
 * because Debezium runs without superuser rights and must not autocreate one).
 */
export function deriveSourceDdl(model: PlatformModel): string {
  const schema = quote(model.source.schema);
  const tables = tablesOf(model);
  const statements = tables.map((table) => {
    const columns = table.columns.map((c) => `  ${quote(c.name)} ${c.type}${c.nullable ? '' : ' NOT NULL'}`);
    columns.push(`  PRIMARY KEY (${table.primaryKey.map(quote).join(', ')})`);
    return `CREATE TABLE IF NOT EXISTS ${schema}.${quote(table.name)} (\n${columns.join(',\n')}\n);`;
  });
  const list = tables.map((t) => `${schema}.${quote(t.name)}`).join(', ');
  const publication = quote(model.source.publication);
  statements.push(
    `DO $$ BEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = '${model.source.publication}') THEN\n` +
      `    CREATE PUBLICATION ${publication} FOR TABLE ${list};\n  ELSE\n    ALTER PUBLICATION ${publication} SET TABLE ${list};\n  END IF;\nEND $$;`,
  );
  statements.push(`GRANT USAGE ON SCHEMA ${schema} TO ${quote(model.source.debeziumRole)};`);
  statements.push(`GRANT SELECT ON ${list} TO ${quote(model.source.debeziumRole)};`);
  // The heartbeat's action query is Debezium's one write, on its own table only.
  const heartbeat = model.source.heartbeat.table;
  if (heartbeat)
    statements.push(
      `GRANT INSERT, UPDATE ON ${schema}.${quote(heartbeat)} TO ${quote(model.source.debeziumRole)};`,
    );
  return statements.join('\n\n') + '\n';
}
