import type { EnvName, PlatformModel } from '../schema';
import { deriveAcls, kafkaPrincipal, type AclBinding, type AclOperation, type AclResourceType } from './acls';

/** A resource of MSK's IAM access control, named as in its ARN (a trailing "*" is a prefix). */
export interface MskIamGrant {
  readonly resourceType: 'cluster' | 'topic' | 'group' | 'transactional-id';
  /** Empty for the cluster itself. */
  readonly resourceName: string;
  readonly actions: readonly string[];
}

/** The IAM action of each ACL operation (MSK's documented equivalence). */
const ACTIONS: Partial<Record<AclResourceType, Partial<Record<AclOperation, string>>>> = {
  TOPIC: {
    READ: 'kafka-cluster:ReadData',
    WRITE: 'kafka-cluster:WriteData',
    CREATE: 'kafka-cluster:CreateTopic',
    DESCRIBE: 'kafka-cluster:DescribeTopic',
    DESCRIBE_CONFIGS: 'kafka-cluster:DescribeTopicDynamicConfiguration',
    ALTER: 'kafka-cluster:AlterTopic',
    ALTER_CONFIGS: 'kafka-cluster:AlterTopicDynamicConfiguration',
    DELETE: 'kafka-cluster:DeleteTopic',
  },
  GROUP: {
    READ: 'kafka-cluster:AlterGroup',
    DESCRIBE: 'kafka-cluster:DescribeGroup',
    DELETE: 'kafka-cluster:DeleteGroup',
  },
  CLUSTER: {
    DESCRIBE: 'kafka-cluster:DescribeCluster',
    DESCRIBE_CONFIGS: 'kafka-cluster:DescribeClusterDynamicConfiguration',
    ALTER: 'kafka-cluster:AlterCluster',
  },
  // The Iceberg sinks' coordinator and worker transactions.
  TRANSACTIONAL_ID: {
    WRITE: 'kafka-cluster:AlterTransactionalId',
    DESCRIBE: 'kafka-cluster:DescribeTransactionalId',
  },
};

const IAM_RESOURCE: Partial<Record<AclResourceType, MskIamGrant['resourceType']>> = {
  TOPIC: 'topic',
  GROUP: 'group',
  TRANSACTIONAL_ID: 'transactional-id',
};

/**
 * The IAM grants that give an IAM-authenticated client (an MSK Connect connector) exactly the
 * access the model's ACLs give `principal` over SCRAM: the same ACLs, translated, so the two
 * authorization paths cannot drift apart. Fails closed on an ACL it cannot translate.
 */
export function deriveMskIamGrants(model: PlatformModel, env: EnvName, principal: string): MskIamGrant[] {
  const acls = deriveAcls(model, env).filter((a) => a.principal === kafkaPrincipal(principal));
  if (acls.length === 0) {
    throw new Error(`platform model: principal '${principal}' has no Kafka grants in ${env}`);
  }
  const byResource = new Map<
    string,
    { type: MskIamGrant['resourceType']; name: string; actions: Set<string> }
  >();
  const add = (type: MskIamGrant['resourceType'], name: string, action: string) => {
    const key = `${type}/${name}`;
    const entry = byResource.get(key) ?? { type, name, actions: new Set<string>() };
    entry.actions.add(action);
    byResource.set(key, entry);
  };
  add('cluster', '', 'kafka-cluster:Connect');
  add('cluster', '', 'kafka-cluster:DescribeCluster');
  for (const acl of acls) {
    const action = actionOf(acl);
    if (acl.resourceType === 'CLUSTER') add('cluster', '', action);
    else add(IAM_RESOURCE[acl.resourceType] as MskIamGrant['resourceType'], resourceNameOf(acl), action);
    // An idempotent producer (Debezium's) needs this cluster action over IAM; ACLs imply it with WRITE.
    if (acl.resourceType === 'TOPIC' && acl.operation === 'WRITE') {
      add('cluster', '', 'kafka-cluster:WriteDataIdempotently');
    }
  }
  return [...byResource.values()]
    .map((e) => ({ resourceType: e.type, resourceName: e.name, actions: [...e.actions].sort() }))
    .sort((a, b) =>
      `${a.resourceType}/${a.resourceName}`.localeCompare(`${b.resourceType}/${b.resourceName}`),
    );
}

function actionOf(acl: AclBinding): string {
  const action = ACTIONS[acl.resourceType]?.[acl.operation];
  if (!action || acl.permission !== 'ALLOW' || acl.host !== '*') {
    throw new Error(
      `deriveMskIamGrants: no IAM equivalent for ${acl.permission} ${acl.operation} on ${acl.resourceType} ${acl.resourceName} (host ${acl.host})`,
    );
  }
  return action;
}

function resourceNameOf(acl: AclBinding): string {
  if (acl.resourceName === '*') return '*';
  return acl.patternType === 'PREFIXED' ? `${acl.resourceName}*` : acl.resourceName;
}
