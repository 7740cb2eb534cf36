import type { RecordCheckRules } from '@lakewall/platform-model';
import { UNKNOWN_TABLE_LABEL, type Finding } from './findings';

/**
 * Topics under the managed prefix that the model does not declare, from cluster metadata alone
 * (the monitor describes them; it never reads them).
 */
export function undeclaredTopicFindings(topics: readonly string[], rules: RecordCheckRules): Finding[] {
  return topics
    .filter((t) => t.startsWith(rules.managedTopicPrefix) && !(t in rules.topics))
    .sort()
    .map((topic) => ({
      kind: 'undeclared_topic',
      topic,
      table: UNKNOWN_TABLE_LABEL,
      reason: 'a topic under the managed prefix that the model does not declare',
    }));
}
