import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { loadPlatformModel, type PlatformModel } from '@lakewall/platform-model';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLOUD_ENVIRONMENTS, type CloudEnvName } from '../src/environment-config';
import { buildApp } from '../src/synth-all';
import type { LakewallStage } from '../src/stacks/lakewall-stage';

export interface Built {
  readonly model: PlatformModel;
  readonly stages: Map<CloudEnvName, LakewallStage>;
  readonly templates: Map<CloudEnvName, Template>;
}

let built: Built | undefined;

/** Builds every environment once per test file (synthesis is the slow part). */
export function buildAll(): Built {
  if (built) return built;
  const model = loadPlatformModel();
  const { stages } = buildApp(mkdtempSync(join(tmpdir(), 'lakewall-infra-test-')), model);
  const templates = new Map<CloudEnvName, Template>();
  for (const name of CLOUD_ENVIRONMENTS) templates.set(name, Template.fromStack(stages.get(name)!.infra));
  built = { model, stages, templates };
  return built;
}

/** The logical id a construct's CloudFormation resource gets in its stack. */
export function logicalId(construct: IConstruct): string {
  const resource = (construct.node.defaultChild ?? construct) as never;
  return Stack.of(construct).getLogicalId(resource);
}

export type Resources = Record<
  string,
  { Type: string; Properties?: Record<string, unknown>; Metadata?: unknown }
>;

export function resourcesOf(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** IAM policies (inline documents of AWS::IAM::Policy and managed policies) attached to a role. */
export function policiesOfRole(template: Template, roleLogicalId: string): unknown[] {
  const attached = (p: { Properties?: Record<string, unknown> }) =>
    JSON.stringify(p.Properties?.Roles ?? []).includes(`"${roleLogicalId}"`);
  const inline = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).filter(attached);
  const role = template.toJSON().Resources[roleLogicalId];
  const managed = JSON.stringify(role.Properties.ManagedPolicyArns ?? []);
  const managedDocs = Object.entries(resourcesOf(template, 'AWS::IAM::ManagedPolicy'))
    .filter(([id]) => managed.includes(`"${id}"`))
    .map(([, p]) => p);
  return [...inline, ...managedDocs];
}

export { CLOUD_ENVIRONMENTS };
