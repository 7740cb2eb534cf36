import { join } from 'node:path';
import { loadPlatformModel } from '@lakewall/platform-model';
import { loadEnvironmentTemplates, type CfnResource, type EnvironmentTemplates } from '../src';

/** A hand-written cloud assembly: one MNPI key, bucket and Glue database, the MNPI sink and an analyst. */
export const MINI_CDK_OUT = join(__dirname, 'fixtures/mini');

export const model = loadPlatformModel();

export function miniTemplates(): EnvironmentTemplates {
  return loadEnvironmentTemplates(MINI_CDK_OUT, 'dev');
}

/** A copy of the mini templates with the resources of `edit` replaced or added. */
export function mutated(edit: (resources: Record<string, CfnResource>) => void): EnvironmentTemplates {
  const env = miniTemplates();
  const stack = env.stacks[0];
  const resources = structuredClone(stack.template.Resources ?? {}) as Record<string, CfnResource>;
  edit(resources);
  return { ...env, stacks: [{ ...stack, template: { ...stack.template, Resources: resources } }] };
}
