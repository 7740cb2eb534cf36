export * from './read';
export { executePlan, revokeAcls, aclLabel, type ExecuteOptions } from './kafka/executor';
export * from './engine';
