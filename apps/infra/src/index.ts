export {
  synthAll,
  buildApp,
  type SynthSummary,
  type EnvironmentSummary,
  type StackSummary,
} from './synth-all';
export { formatSummary } from './cli/format-summary';
export { runNagGate, type NagGateResult, type NagFinding } from './gates/nag-gate';
export { LakewallStage } from './stacks/lakewall-stage';
export { LakeInfraStack } from './stacks/lake-infra-stack';
export {
  CLOUD_ENVIRONMENTS,
  environmentConfig,
  type CloudEnvName,
  type EnvironmentConfig,
} from './environment-config';
