import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { KeyAdministration } from '../src/defaults/key-administration';

/** A stack with a concrete environment and the recommended feature flags, as the app's stages have. */
export function testStack(id = 'Test'): Stack {
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
