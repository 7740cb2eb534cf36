import { App, Stack } from 'aws-cdk-lib';

/** A stack with a concrete environment, as the app's stages have. */
export function testStack(id = 'Test'): Stack {
  return new Stack(new App(), id, { env: { account: '123456789012', region: 'eu-west-1' } });
}
