export * from './types';
export * from './logger';
export * from './policy/evaluator';
export * from './policy/topic-pattern';
export * from './policy/mnpi-policy';
export * from './planner';
export * from './render';
export * from './kafka/errors';
export {
  countingAdmin,
  readClusterState,
  readAcls,
  toAclEntry,
  toAclFilter,
  type CountedAdmin,
} from './kafka/admin-ops';
export { executePlan } from './kafka/executor';
export * from './engine';
