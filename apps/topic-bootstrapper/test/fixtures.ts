import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEFAULT_MODEL_PATH, type AclBinding } from '@lakewall/platform-model';
import { localStackKafkaConfig } from '@lakewall/kafka-connection';
import { kafkaClient, readAcls, toAclEntry, toAclFilter } from '@lakewall/topic-admin';
import type { Admin } from 'kafkajs';

export function testPrefix(kind: string): string {
  return `cdc-${kind}-${randomBytes(3).toString('hex')}.`;
}

/** The repository's model text with its managed prefix (and topic naming) moved to `prefix`. */
export function variantModelText(prefix: string, edit: (text: string) => string = (t) => t): string {
  const text = readFileSync(DEFAULT_MODEL_PATH, 'utf8')
    .replace(/managedTopicPrefix: cdc\.\s*$/m, `managedTopicPrefix: ${prefix}`)
    .replace(/topicNaming: "cdc\.\{table\}\.\{zone\}"/, `topicNaming: "${prefix}{table}.{zone}"`);
  if (!text.includes(`managedTopicPrefix: ${prefix}`) || !text.includes(`"${prefix}{table}`)) {
    throw new Error('the model no longer has the expected managedTopicPrefix/topicNaming lines');
  }
  return edit(text);
}

async function withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafkaClient(localStackKafkaConfig('admin')).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

export const addAcl = (acl: AclBinding) =>
  withAdmin((a) => a.createAcls({ acl: [toAclEntry(acl)] }).then(() => undefined));
export const removeAcl = (acl: AclBinding) =>
  withAdmin((a) => a.deleteAcls({ filters: [toAclFilter(acl)] }).then(() => undefined));

/** Deletes every topic and topic ACL under a test prefix (the test's own objects only). */
export async function cleanupPrefix(prefix: string): Promise<void> {
  if (!prefix.startsWith('cdc-')) throw new Error(`refusing to clean up ${prefix}`);
  await withAdmin(async (admin) => {
    const acls = (await readAcls(admin)).filter(
      (a) => a.resourceType === 'TOPIC' && a.resourceName.startsWith(prefix),
    );
    if (acls.length) await admin.deleteAcls({ filters: acls.map(toAclFilter) });
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length) await admin.deleteTopics({ topics, timeout: 60000 });
  });
}
