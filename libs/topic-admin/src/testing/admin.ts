// Test/bench helper (see ./index.ts): not for topic-admin's non-test code.
import type { AclBinding } from '@lakewall/platform-model';
import { localStackKafkaConfig } from '@lakewall/kafka-connection';
import type { Admin, KafkaConfig } from 'kafkajs';
import { kafkaClient } from '../kafka/session';
import { readAcls } from '../kafka/admin-ops';
import { toAclEntry, toAclFilter } from '../kafka/acl-codec';

/** ACL filters per deleteAcls request and topics per deleteTopics request in `cleanupPrefix`. */
const ACL_BATCH = 500;
const TOPIC_BATCH = 200;

/** The local stack's `admin` super user, read when a helper is called without a config. */
const localAdmin = (): KafkaConfig => localStackKafkaConfig('admin');

/** Runs `fn` with a connected admin client (the local stack's `admin` unless `kafka` is given). */
export async function withAdmin<T>(
  fn: (admin: Admin) => Promise<T>,
  kafka: KafkaConfig = localAdmin(),
): Promise<T> {
  const admin = kafkaClient(kafka).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

export async function addAcl(acl: AclBinding, kafka?: KafkaConfig): Promise<void> {
  await withAdmin((admin) => admin.createAcls({ acl: [toAclEntry(acl)] }), kafka);
}

export async function removeAcl(acl: AclBinding, kafka?: KafkaConfig): Promise<void> {
  await withAdmin((admin) => admin.deleteAcls({ filters: [toAclFilter(acl)] }), kafka);
}

export interface CleanupOptions {
  /** Defaults to the local stack's `admin` super user. */
  kafka?: KafkaConfig;
  /** deleteTopics timeout per batch, in milliseconds. */
  deleteTimeoutMs?: number;
}

/**
 * Deletes every topic and topic ACL under a test prefix (the test's own objects only), in batches.
 * Refuses any prefix that does not start with `cdc-`, so the real `cdc.` objects are never touched.
 */
export async function cleanupPrefix(prefix: string, opts: CleanupOptions = {}): Promise<void> {
  if (!prefix.startsWith('cdc-') || prefix === 'cdc.') throw new Error(`refusing to clean up ${prefix}`);
  const timeout = opts.deleteTimeoutMs ?? 60_000;
  await withAdmin(async (admin) => {
    const acls = (await readAcls(admin)).filter(
      (a) => a.resourceType === 'TOPIC' && a.resourceName.startsWith(prefix),
    );
    for (let i = 0; i < acls.length; i += ACL_BATCH)
      await admin.deleteAcls({ filters: acls.slice(i, i + ACL_BATCH).map(toAclFilter) });
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    for (let i = 0; i < topics.length; i += TOPIC_BATCH)
      await admin.deleteTopics({ topics: topics.slice(i, i + TOPIC_BATCH), timeout });
  }, opts.kafka);
}
