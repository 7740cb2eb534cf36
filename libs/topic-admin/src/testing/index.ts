/**
 * `@lakewall/topic-admin/testing`: shared helpers for integration tests and the benchmark that run
 * against the local stack's Kafka (throw-away managed prefixes, a variant of the repository model,
 * admin access, ACL fixtures and prefix cleanup).
 *
 * For tests and benchmarks only: nothing in topic-admin's own (non-test) code may import from this
 * folder, and the library's main entry point (`src/index.ts`) does not re-export it.
 */
export { testPrefix, variantModelText } from './model';
export { addAcl, cleanupPrefix, removeAcl, withAdmin, type CleanupOptions } from './admin';
export { leakingPrefixedRead } from './acls';
