import { join } from 'node:path';
import {
  loadEnvironmentTemplates,
  loadExpectedAccess,
  type CfnResource,
  type EnvironmentTemplates,
} from '@lakewall/access-proof';
import { loadPlatformModel } from '@lakewall/platform-model';
import { DEFAULT_EXPECTED, REPO_ROOT } from '../src';

export const TEST_CDK_OUT = join(REPO_ROOT, 'tmp/access-report-test/cdk.out');
export const model = loadPlatformModel();
export const expected = loadExpectedAccess(DEFAULT_EXPECTED);

export function realTemplates(env: string): EnvironmentTemplates {
  return loadEnvironmentTemplates(TEST_CDK_OUT, env);
}

/** The logical id of the one resource named `name` plus the hash CDK appends (it differs per environment). */
export function logicalIdOf(resources: Record<string, CfnResource>, name: string): string {
  const hits = Object.keys(resources).filter(
    (id) => id.startsWith(name) && /^[0-9A-F]{8}$/.test(id.slice(name.length)),
  );
  if (hits.length !== 1)
    throw new Error(`expected one resource named ${name}<hash>, found ${hits.join(', ') || 'none'}`);
  return hits[0];
}

export function resourceNamed(
  resources: Record<string, CfnResource>,
  name: string,
): CfnResource & { Properties: Record<string, unknown> } {
  return resources[logicalIdOf(resources, name)] as CfnResource & { Properties: Record<string, unknown> };
}

/** A copy of an environment's real templates with one deliberate hole made by `edit`. */
export function withHole(
  env: string,
  edit: (resources: Record<string, CfnResource>) => void,
): EnvironmentTemplates {
  const templates = realTemplates(env);
  return {
    ...templates,
    stacks: templates.stacks.map((s) => {
      const resources = structuredClone(s.template.Resources ?? {}) as Record<string, CfnResource>;
      if (s.stackName.endsWith('-infra')) edit(resources);
      return { ...s, template: { ...s.template, Resources: resources } };
    }),
  };
}

export function statementsOf(policy: CfnResource | undefined, key = 'PolicyDocument'): unknown[] {
  const doc = (policy as { Properties: Record<string, { Statement: unknown[] }> }).Properties[key];
  return doc.Statement;
}
