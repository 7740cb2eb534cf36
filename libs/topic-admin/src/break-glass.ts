/**
 * The bootstrapper's first run on a new cluster. It manages every ACL, its own included, but on a
 * cluster that has never been bootstrapped it holds none (and `allow.everyone.if.no.acl.found` is
 * false), so it cannot even read the ACLs. A break-glass identity (a super user locally; on MSK an
 * IAM-authenticated administrator) is used for one thing only: creating the bootstrapper's own ACLs
 * from the model. Everything else is applied as the bootstrapper, and once it holds its ACLs the
 * break-glass identity is refused, so it is used exactly once per cluster.
 */
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type KafkaConfig,
} from 'kafkajs';
import { kafkaPrincipal, principalsIn, type EnvName, type PlatformModel } from '@lakewall/platform-model';
import { toAclEntry } from './kafka/acl-codec';
import { describeKafkaError, KafkaAccessError } from './kafka/errors';
import { brokersOf, openSession, usernameOf } from './kafka/session';
import { desiredStateOf } from './engine';
import { silentLogger, type TopicAdminLogger } from './logger';

export class BreakGlassRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BreakGlassRefusedError';
  }
}

export interface BreakGlassOptions {
  readonly model: PlatformModel;
  readonly env: EnvName;
  /** The bootstrapper's own connection. */
  readonly kafka: KafkaConfig;
  /** The break-glass identity's connection (same brokers). */
  readonly breakGlass: KafkaConfig;
  readonly logger?: TopicAdminLogger;
  readonly connectTimeoutMs?: number;
}

/** The model principal that manages ACLs (exactly one, by validation): the bootstrapper. */
export function aclManagerOf(model: PlatformModel, env: EnvName): string {
  const manager = principalsIn(model, env).find((p) => p.kafka?.manageAcls);
  if (!manager) throw new Error(`the model has no principal with kafka.manageAcls in ${env}`);
  return manager.name;
}

/**
 * Whether the connection's principal may describe the cluster's ACLs, the first thing an apply
 * does. An authorization failure is a clear "no"; anything else (unreachable, bad password) throws.
 */
export async function canDescribeAcls(kafka: KafkaConfig, connectTimeoutMs?: number): Promise<boolean> {
  const session = await openSession({ kafka, connectTimeoutMs });
  try {
    await session.admin.describeAcls({
      resourceType: AclResourceTypes.CLUSTER,
      resourceName: 'kafka-cluster',
      resourcePatternType: ResourcePatternTypes.LITERAL,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    return true;
  } catch (err) {
    const e = describeKafkaError(err, brokersOf(kafka), usernameOf(kafka));
    if (e.kind === 'authorization') return false;
    throw e;
  } finally {
    await session.close();
  }
}

/**
 * Creates the bootstrapper's own model ACLs as the break-glass identity, only when the bootstrapper
 * cannot yet read ACLs; refuses when it can. Returns how many ACLs were created.
 */
export async function grantOwnAclsWithBreakGlass(o: BreakGlassOptions): Promise<number> {
  const logger = o.logger ?? silentLogger;
  const manager = aclManagerOf(o.model, o.env);
  if (await canDescribeAcls(o.kafka, o.connectTimeoutMs))
    throw new BreakGlassRefusedError(
      `${manager} already holds its ACLs on this cluster: the break-glass credentials are not needed and were not used. ` +
        `Remove them from this run (and rotate or delete the break-glass secret).`,
    );
  const own = desiredStateOf(o.model, o.env).acls.filter((a) => a.principal === kafkaPrincipal(manager));
  logger.warn(
    { principal: manager, acls: own.length, breakGlass: usernameOf(o.breakGlass) },
    `break glass: ${manager} holds no ACLs on this cluster; creating its ${own.length} model ACLs with the break-glass identity`,
  );
  const session = await openSession({ kafka: o.breakGlass, connectTimeoutMs: o.connectTimeoutMs });
  try {
    await session.admin.createAcls({ acl: own.map(toAclEntry) });
  } catch (err) {
    throw describeKafkaError(err, brokersOf(o.breakGlass), usernameOf(o.breakGlass));
  } finally {
    await session.close();
  }
  if (!(await canDescribeAcls(o.kafka, o.connectTimeoutMs)))
    throw new KafkaAccessError(
      `break glass: ${manager}'s ACLs were created but it still cannot describe the cluster's ACLs`,
      'authorization',
    );
  return own.length;
}
