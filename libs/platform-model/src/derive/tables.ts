import type { ColumnSpec, EnvName, PlatformModel, TableSpec, ZoneName } from '../schema';

export interface NamedTable extends TableSpec {
  readonly name: string;
}

export function tablesOf(model: PlatformModel): NamedTable[] {
  return Object.entries(model.tables).map(([name, table]) => ({ name, ...table }));
}

export function tablesInZone(model: PlatformModel, zone: ZoneName): NamedTable[] {
  return tablesOf(model).filter((t) => t.classification === zone);
}

/** Columns more restricted than their table: they must never leave the source database. */
export function restrictedColumns(table: TableSpec): ColumnSpec[] {
  return table.columns.filter((c) => c.classification === 'mnpi' && table.classification !== 'mnpi');
}

/** Columns that travel on the table's topic and land in the lake. */
export function publishedColumns(table: TableSpec): ColumnSpec[] {
  const restricted = new Set(restrictedColumns(table).map((c) => c.name));
  return table.columns.filter((c) => !restricted.has(c.name));
}

export function topicName(model: PlatformModel, table: string, zone: ZoneName): string {
  return model.kafka.topicNaming.replace('{table}', table).replace('{zone}', zone);
}

export function principalsIn(model: PlatformModel, env: EnvName) {
  return Object.entries(model.principals)
    .filter(([, p]) => !p.environments || p.environments.includes(env))
    .map(([name, p]) => ({ name, ...p }));
}
