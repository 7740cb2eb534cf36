import type { AclBinding } from '@lakewall/platform-model';
import { readAcls } from '@lakewall/topic-admin';
import { withAdmin } from '@lakewall/topic-admin/testing';

/** Every live ACL of one principal, read as the local super user. */
export async function readAclsOf(principal: string): Promise<AclBinding[]> {
  const all = await withAdmin((a) => readAcls(a));
  return all.filter((a) => a.principal === principal);
}
