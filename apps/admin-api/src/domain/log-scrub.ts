import { deriveMnpiNames, type EnvName, type PlatformModel } from '@lakewall/platform-model';

/**
 * Replaces every MNPI name the model knows (topics, tables, columns, principals, groups,
 * connectors) with `<mnpi>` in text bound for the service log: backing services' errors quote
 * resource names, and the log is read by people who are not all cleared.
 */
export function mnpiScrubber(model: PlatformModel, env: EnvName): (text: string) => string {
  const n = deriveMnpiNames(model, env);
  const names = [...n.topics, ...n.tables, ...n.columns, ...n.principals, ...n.groups, ...n.connectors]
    // longest first, so `cdc.trades.mnpi` goes before `trades`
    .sort((a, b) => b.length - a.length)
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (names.length === 0) return (t) => t;
  const pattern = new RegExp(`(^|[^A-Za-z0-9])(${names.join('|')})(?=$|[^A-Za-z0-9])`, 'g');
  return (text) => text.replace(pattern, '$1<mnpi>');
}
