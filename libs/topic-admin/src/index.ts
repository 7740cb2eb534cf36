export * from './read';
export { executePlan, revokeAcls, aclLabel, type ExecuteOptions } from './kafka/executor';
export {
  acquireClusterLock,
  ClusterLockHeldError,
  oldestMemberAssigner,
  type ClusterLock,
  type ClusterLockOptions,
} from './kafka/cluster-lock';
export * from './engine';
export * from './break-glass';
