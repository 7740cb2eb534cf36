// Test/bench helper (see ./index.ts): not for topic-admin's non-test code.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEFAULT_MODEL_PATH } from '@lakewall/platform-model';

/** A unique managed prefix for one test run, so the real `cdc.` topics are never touched. */
export function testPrefix(kind = 'it'): string {
  return `cdc-${kind}-${randomBytes(3).toString('hex')}.`;
}

/** The repository's model text with its managed prefix (topic naming, audit topic) moved to `prefix`. */
export function variantModelText(prefix: string, edit: (text: string) => string = (t) => t): string {
  const text = readFileSync(DEFAULT_MODEL_PATH, 'utf8')
    .replace(/managedTopicPrefix: cdc\.\s*$/m, `managedTopicPrefix: ${prefix}`)
    .replace(/topicNaming: "cdc\.\{table\}\.\{zone\}"/, `topicNaming: "${prefix}{table}.{zone}"`)
    // The audit topic lives under the managed prefix too: move it with the prefix.
    .replace(/(auditTopic:[\s\S]*?name: )cdc\./, `$1${prefix}`)
    .replace(/(findingsTopic:[\s\S]*?name: )cdc\./, `$1${prefix}`);
  if (!text.includes(`managedTopicPrefix: ${prefix}`) || !text.includes(`"${prefix}{table}`)) {
    throw new Error('the model no longer has the expected managedTopicPrefix/topicNaming lines');
  }
  return edit(text);
}
