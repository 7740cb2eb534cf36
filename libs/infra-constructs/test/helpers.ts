import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { loadPlatformModel, type PlatformModel } from '@lakewall/platform-model';
import { KeyAdministration } from '../src/defaults/key-administration';

/** A stack as the app's stages have it: concrete environment, recommended flags, key administration. */
export function testStack(id = 'Test'): Stack {
  const stack = bareStack(id);
  withKeyAdministration(stack);
  return stack;
}

/** The same stack without key administration. */
export function bareStack(id = 'Test'): Stack {
  return new Stack(new App({ context: { ...CURRENTLY_RECOMMENDED_FLAGS } }), id, {
    env: { account: '123456789012', region: 'eu-west-1' },
  });
}

/** The stack's key administration (every customer-managed key needs one), created once. */
export function withKeyAdministration(stack: Stack): KeyAdministration {
  const existing = stack.node.tryFindChild('KeyAdministration');
  if (existing instanceof KeyAdministration) return existing;
  const administrator = new iam.Role(stack, 'KeyAdmin', { assumedBy: new iam.AccountRootPrincipal() });
  return new KeyAdministration(stack, { administrator });
}

/** The platform model with its dev environment in `region` (the test stacks' region is not the model's). */
export function modelIn(region: string): PlatformModel {
  const model = loadPlatformModel();
  return { ...model, environments: { ...model.environments, dev: { ...model.environments.dev, region } } };
}
