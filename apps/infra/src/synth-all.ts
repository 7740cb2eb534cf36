import { App, Validations, type Stage } from 'aws-cdk-lib';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import type { PlatformModel } from '@lakewall/platform-model';
import { CLOUD_ENVIRONMENTS, environmentConfig, loadModel, type CloudEnvName } from './environment-config';
import { nagPacks, runNagGate, type NagFinding } from './gates/nag-gate';
import { LakewallStage } from './stacks/lakewall-stage';

export interface StackSummary {
  readonly name: string;
  readonly templateFile: string;
  readonly resourceCount: number;
  readonly resourcesByType: Readonly<Record<string, number>>;
}

export interface EnvironmentSummary {
  readonly environment: CloudEnvName;
  readonly account: string;
  readonly region: string;
  readonly stacks: readonly StackSummary[];
  readonly nag: {
    readonly findings: number;
    readonly acknowledged: number;
    readonly unacknowledged: readonly NagFinding[];
  };
}

export interface SynthSummary {
  readonly outdir: string;
  readonly environments: readonly EnvironmentSummary[];
  /** True when every environment passed the nag gate. */
  readonly passed: boolean;
}

/** Builds the app: one stage per cloud environment of the model. */
export function buildApp(
  outdir: string,
  model: PlatformModel = loadModel(),
): { app: App; stages: Map<CloudEnvName, LakewallStage> } {
  // The feature flags a new CDK project gets in cdk.json (there is none: the app runs under tsx), so
  // constructs use today's secure behaviour, e.g. bucket policies instead of ACLs for log delivery.
  const app = new App({ outdir, context: { ...CURRENTLY_RECOMMENDED_FLAGS } });
  const stages = new Map<CloudEnvName, LakewallStage>();
  for (const name of CLOUD_ENVIRONMENTS) {
    const stage = new LakewallStage(app, name, { model, config: environmentConfig(model, name) });
    // The packs also run as CDK validation plugins of each stage, so any synthesis of this app (CDK
    // CLI included) records unacknowledged findings in the validation report and fails.
    Validations.of(stage).addPlugins(...nagPacks());
    stages.set(name, stage);
  }
  return { app, stages };
}

/**
 * Synthesizes every environment into `outdir` (no AWS credentials, no lookups) and returns, per
 * environment, its stacks, resource counts by type and the nag gate's result.
 */
export function synthAll(outdir: string, model: PlatformModel = loadModel()): SynthSummary {
  const { app, stages } = buildApp(outdir, model);
  const assembly = app.synth();
  const environments: EnvironmentSummary[] = [];
  for (const [name, stage] of stages) {
    const nag = runNagGate(stage);
    const stageAssembly = assembly.getNestedAssembly(stage.artifactId);
    environments.push({
      environment: name,
      account: stage.account!,
      region: stage.region!,
      stacks: stageAssembly.stacks.map((artifact) =>
        summarizeStack(artifact.stackName, artifact.templateFullPath, artifact.template),
      ),
      nag: { findings: nag.findings.length, acknowledged: nag.acknowledged, unacknowledged: nag.findings },
    });
  }
  return {
    outdir: assembly.directory,
    environments,
    passed: environments.every((e) => e.nag.findings === 0),
  };
}

function summarizeStack(
  name: string,
  templateFile: string,
  template: { Resources?: Record<string, { Type: string }> },
): StackSummary {
  const resourcesByType: Record<string, number> = {};
  for (const resource of Object.values(template.Resources ?? {})) {
    resourcesByType[resource.Type] = (resourcesByType[resource.Type] ?? 0) + 1;
  }
  const sorted = Object.fromEntries(Object.entries(resourcesByType).sort(([a], [b]) => a.localeCompare(b)));
  return {
    name,
    templateFile,
    resourceCount: Object.values(resourcesByType).reduce((a, b) => a + b, 0),
    resourcesByType: sorted,
  };
}

/** Stages by environment name, for callers that want the construct tree (tests). */
export type { Stage };
