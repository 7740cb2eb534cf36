// Test/bench helper (see ./index.ts): not for topic-admin's non-test code.
import type { AclBinding } from '@lakewall/platform-model';

/**
 * A leaking grant: `User:sink-public` (clearance public) may READ every topic whose name starts with
 * `<prefix>tr`, which covers the MNPI `<prefix>trades.mnpi`. The MNPI policy must report it.
 */
export function leakingPrefixedRead(prefix: string): AclBinding {
  return {
    principal: 'User:sink-public',
    host: '*',
    resourceType: 'TOPIC',
    resourceName: `${prefix}tr`,
    patternType: 'PREFIXED',
    operation: 'READ',
    permission: 'ALLOW',
  };
}
