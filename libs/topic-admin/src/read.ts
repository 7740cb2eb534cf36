/**
 * The read half of the topic engine: the pure policy and planner, and the cluster reads. Services
 * that only observe the cluster (the monitor, the admin API) import this entry point and never
 * load the applier.
 */
export * from './types';
export * from './logger';
export * from './policy/evaluator';
export * from './policy/topic-pattern';
export * from './policy/mnpi-policy';
export { planChanges, planTopic, isManagedTopic, isManagedAcl, type PlanOptions } from './planner';
export { driftOf } from './drift';
export * from './kafka/errors';
export {
  countingAdmin,
  readClusterState,
  readAcls,
  type CountedAdmin,
  type ReadOptions,
} from './kafka/admin-ops';
export { toAclEntry, toAclFilter, fromAclResources } from './kafka/acl-codec';
export { openSession, kafkaClient, DEFAULT_CONNECT_TIMEOUT_MS, type Session } from './kafka/session';
export { checkClusterIdentity, ClusterMismatchError, type ClusterIdentity } from './kafka/cluster-identity';
