import type { EnvName, PlatformModel, ZoneName } from '../schema';
import { publishedColumns, restrictedColumns, tablesOf, topicName } from './tables';
import { clearedFor } from './users';

export interface TopicLeakRule {
  readonly topic: string;
  readonly table: string;
  readonly zone: ZoneName;
  /** Fields a change event may carry; anything else is a finding (fail closed). */
  readonly allowedFields: readonly string[];
  /** Fields that must never appear on this topic. */
  readonly forbiddenFields: readonly string[];
  /** Principals allowed to consume this topic. */
  readonly clearedPrincipals: readonly string[];
}

/** The monitor's rules: what each managed topic may carry, and who may read it. */
export function deriveLeakRules(model: PlatformModel, env: EnvName): TopicLeakRule[] {
  return tablesOf(model).map((table) => ({
    topic: topicName(model, table.name, table.classification),
    table: table.name,
    zone: table.classification,
    allowedFields: publishedColumns(table).map((c) => c.name),
    forbiddenFields: restrictedColumns(table).map((c) => c.name),
    clearedPrincipals: clearedFor(model, env, table.classification),
  }));
}
