import type { EnvName, PlatformModel, ZoneName } from '../schema';
import { debeziumConnectorName } from './debezium';
import { deriveSinks } from './sinks';
import { principalsIn, restrictedColumns, tablesOf } from './tables';
import { deriveTopics } from './topics';

/**
 * What the model says is public, by kind of resource. Everything else is MNPI: a name the model
 * does not know (a new topic, a consumer group somebody started by hand, Kafka's internal topics,
 * Connect's topics and group, which name every connector) is treated as MNPI, so the wall fails
 * closed.
 */
export interface Classification {
  readonly publicTopics: ReadonlySet<string>;
  readonly publicGroups: ReadonlySet<string>;
  readonly publicConnectors: ReadonlySet<string>;
  readonly publicTables: ReadonlySet<string>;
}

export type ResourceKind = 'topic' | 'group' | 'connector' | 'subject' | 'table';

/** The names a caller not cleared for MNPI must never see, by kind; for tests and log scrubbing. */
export interface MnpiNames {
  readonly topics: readonly string[];
  readonly tables: readonly string[];
  readonly columns: readonly string[];
  readonly principals: readonly string[];
  readonly groups: readonly string[];
  readonly connectors: readonly string[];
}

/** The registry subject suffixes of Confluent's TopicNameStrategy. */
const SUBJECT_SUFFIXES = ['-key', '-value'] as const;

export function deriveClassification(model: PlatformModel, env: EnvName): Classification {
  const principals = principalsIn(model, env);
  const publicPrincipals = new Set(principals.filter((p) => p.clearance === 'public').map((p) => p.name));
  // A group is public only when its principal is not cleared for MNPI and it reads only public zones.
  const publicGroups = principals
    .filter((p) => publicPrincipals.has(p.name) && p.kafka?.consume?.zones.every((z) => z === 'public'))
    .map((p) => p.kafka!.consume!.group);
  const publicConnectors = deriveSinks(model, env)
    .filter((s) => s.zone === 'public' && publicPrincipals.has(s.principal))
    .map((s) => s.connectorName);
  const publicTables = tablesOf(model).filter((t) => t.classification === 'public');
  return {
    publicTopics: new Set(
      deriveTopics(model, env)
        .filter((t) => t.zone === 'public')
        .map((t) => t.name),
    ),
    publicGroups: new Set(publicGroups),
    publicConnectors: new Set(publicConnectors),
    publicTables: new Set(publicTables.map((t) => t.name)),
  };
}

/** The zone of a resource by name: public only when the model says so, MNPI otherwise. */
export function zoneOf(c: Classification, kind: ResourceKind, name: string): ZoneName {
  switch (kind) {
    case 'topic':
      return c.publicTopics.has(name) ? 'public' : 'mnpi';
    case 'group':
      return c.publicGroups.has(name) ? 'public' : 'mnpi';
    case 'connector':
      return c.publicConnectors.has(name) ? 'public' : 'mnpi';
    case 'table':
      return c.publicTables.has(name) ? 'public' : 'mnpi';
    case 'subject': {
      const suffix = SUBJECT_SUFFIXES.find((s) => name.endsWith(s));
      return suffix && c.publicTopics.has(name.slice(0, -suffix.length)) ? 'public' : 'mnpi';
    }
  }
}

/** Every MNPI name the model can produce in `env`. */
export function deriveMnpiNames(model: PlatformModel, env: EnvName): MnpiNames {
  const c = deriveClassification(model, env);
  const principals = principalsIn(model, env);
  const tables = tablesOf(model);
  const groups = principals.flatMap((p) => (p.kafka?.consume ? [p.kafka.consume.group] : []));
  groups.push(model.kafka.connect.groupId);
  const connectors = [debeziumConnectorName(model), ...deriveSinks(model, env).map((s) => s.connectorName)];
  const topics = deriveTopics(model, env).map((t) => t.name);
  const sorted = (xs: string[]) => [...new Set(xs)].sort();
  return {
    topics: sorted(topics.filter((t) => !c.publicTopics.has(t))),
    tables: sorted(tables.filter((t) => !c.publicTables.has(t.name)).map((t) => t.name)),
    columns: sorted(tables.flatMap((t) => restrictedColumns(t).map((col) => col.name))),
    principals: sorted(principals.filter((p) => p.clearance === 'mnpi').map((p) => p.name)),
    groups: sorted(groups.filter((g) => !c.publicGroups.has(g))),
    connectors: sorted(connectors.filter((n) => !c.publicConnectors.has(n))),
  };
}
