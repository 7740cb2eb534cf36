import { Template } from 'aws-cdk-lib/assertions';
import { deriveConnectConfigProviders, SECRETS_MANAGER_CONFIG_PROVIDER } from '@lakewall/platform-model';
import { ConnectWorkerConfiguration } from '../src/connect/worker-configuration';
import { bareStack, modelIn } from './helpers';

/** The properties file MSK Connect gets, decoded. */
function propertiesOf(stack: ReturnType<typeof bareStack>): Record<string, string> {
  const [resource] = Object.values(
    Template.fromStack(stack).findResources('AWS::KafkaConnect::WorkerConfiguration'),
  ) as { Properties: { PropertiesFileContent: string } }[];
  const text = Buffer.from(resource!.Properties.PropertiesFileContent, 'base64').toString('utf8');
  return Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('ConnectWorkerConfiguration', () => {
  it("takes its config provider properties from the model's derivation, nothing hand-written", () => {
    const stack = bareStack();
    const model = modelIn(stack.region);
    const workers = new ConnectWorkerConfiguration(stack, 'Workers', { name: 'w', model, env: 'dev' });
    const providers = deriveConnectConfigProviders(model, 'dev');
    const props = propertiesOf(stack);
    expect(props).toEqual(workers.properties);
    expect(props).toMatchObject(providers);
    expect(props['config.providers.secretsmanager.class']).toBe(SECRETS_MANAGER_CONFIG_PROVIDER);
    expect(props['config.providers.secretsmanager.param.region']).toBe('eu-west-1');
    // Nothing but the derivation's provider settings under config.providers.
    expect(
      Object.keys(props)
        .filter((k) => k.startsWith('config.providers'))
        .sort(),
    ).toEqual(Object.keys(providers).sort());
    expect(props['connector.client.config.override.policy']).toBe('All');
  });

  it("refuses a stack outside the environment's region in the model", () => {
    const stack = bareStack();
    expect(
      () =>
        new ConnectWorkerConfiguration(stack, 'Workers', {
          name: 'w',
          model: modelIn('us-west-2'),
          env: 'dev',
        }),
    ).toThrow(/eu-west-1 is not environment dev's region us-west-2/);
  });
});
