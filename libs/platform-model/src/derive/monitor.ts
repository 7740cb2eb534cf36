import type { EnvName, PlatformModel, ZoneName } from '../schema';
import { deriveSinks } from './sinks';
import { principalsIn, publishedColumns, restrictedColumns, tablesOf } from './tables';
import { deriveFindingsTopic, derivePlatformTopics, deriveTopics, topicsInZone } from './topics';

/** What the record checker knows about one source table. */
export interface CheckedTable {
  readonly name: string;
  readonly zone: ZoneName;
  /** Columns that may travel on the table's topic. */
  readonly publishedColumns: readonly string[];
  /** Columns classified MNPI on a public table: they must never leave the database. */
  readonly restrictedColumns: readonly string[];
}

/** Everything the record checker compares a change event with, from the model only. */
export interface RecordCheckRules {
  /** Debezium's `source.db` and `source.schema` must equal these exactly. */
  readonly database: string;
  readonly schema: string;
  readonly managedTopicPrefix: string;
  /** Every topic the model declares under the managed prefix, with its zone and table. */
  readonly topics: Readonly<Record<string, { readonly zone: ZoneName; readonly table: string }>>;
  readonly tables: Readonly<Record<string, CheckedTable>>;
}

export function deriveRecordCheckRules(model: PlatformModel, env: EnvName): RecordCheckRules {
  return {
    database: model.source.database,
    schema: model.source.schema,
    managedTopicPrefix: model.kafka.managedTopicPrefix,
    // Every topic the model declares under the prefix (CDC, the sinks' control topics, the audit
    // and findings topics), so none of them is reported as undeclared; only CDC topics are consumed.
    topics: Object.fromEntries(
      [...deriveTopics(model, env), ...derivePlatformTopics(model, env)].map(
        (t) => [t.name, { zone: t.zone, table: t.table ?? '' }] as const,
      ),
    ),
    tables: Object.fromEntries(
      tablesOf(model).map((t) => [
        t.name,
        {
          name: t.name,
          zone: t.classification,
          publishedColumns: publishedColumns(t).map((c) => c.name),
          restrictedColumns: restrictedColumns(t).map((c) => c.name),
        },
      ]),
    ),
  };
}

/** A consumer group the monitor exports lag for, with the lag objective its alert uses. */
export interface MonitoredGroup {
  readonly group: string;
  readonly principal: string;
  readonly lagSloSeconds: number;
}

/** The monitor in one environment: identity, what it checks, what it contains, whose lag it exports. */
export interface MonitorDeployment {
  readonly principal: string;
  readonly group: string;
  /** The public zone's topics: every record on them is checked. */
  readonly checkedTopics: readonly string[];
  /** The sink that writes the public zone: paused on a finding when containment is on. */
  readonly publicSinkConnector: string | undefined;
  readonly containment: boolean;
  readonly groups: readonly MonitoredGroup[];
  /** Where findings and containments are recorded for review (the admin API acknowledges them there). */
  readonly findingsTopic: string;
}

export function deriveMonitorDeployment(model: PlatformModel, env: EnvName): MonitorDeployment {
  const name = model.monitor.principal;
  const principal = principalsIn(model, env).find((p) => p.name === name);
  const group = principal?.kafka?.consume?.group;
  if (!group) throw new Error(`monitor.principal "${name}" has no kafka.consume group in environment ${env}`);
  const slo = model.monitor.lagSloSeconds;
  const groups = principalsIn(model, env).flatMap((p) =>
    p.kafka?.consume
      ? [
          {
            group: p.kafka.consume.group,
            principal: p.name,
            lagSloSeconds: slo.groups[p.kafka.consume.group] ?? slo.default,
          },
        ]
      : [],
  );
  return {
    principal: name,
    group,
    checkedTopics: topicsInZone(model, env, 'public').map((t) => t.name),
    publicSinkConnector: deriveSinks(model, env).find((s) => s.zone === 'public')?.connectorName,
    containment: model.environments[env].monitor.containment,
    groups: groups.sort((a, b) => a.group.localeCompare(b.group)),
    findingsTopic: deriveFindingsTopic(model, env).name,
  };
}
