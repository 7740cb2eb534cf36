import {
  deriveConnectConfigProviders,
  loadPlatformModel,
  SECRETS_MANAGER_CONFIG_PROVIDER,
  secretsManagerRef,
} from '../src';

const model = loadPlatformModel();

describe('Connect config providers', () => {
  it('locally reads only the stack secrets directory', () => {
    const p = deriveConnectConfigProviders(model, 'local', { secretsDir: '/s/secrets' });
    expect(p['config.providers.file.param.allowed.paths']).toBe('/s/secrets');
    expect(p['config.providers.dir.param.allowed.paths']).toBe('/s/secrets');
    expect(() => deriveConnectConfigProviders(model, 'local')).toThrow(/secrets directory/);
  });

  it("on AWS resolves references from Secrets Manager in the environment's region", () => {
    const p = deriveConnectConfigProviders(model, 'prod');
    expect(p).toEqual({
      'config.providers': 'secretsmanager',
      'config.providers.secretsmanager.class': 'com.lakewall.connect.config.SecretsManagerConfigProvider',
      'config.providers.secretsmanager.param.region': 'us-east-1',
    });
    expect(p['config.providers.secretsmanager.class']).toBe(SECRETS_MANAGER_CONFIG_PROVIDER);
    expect(secretsManagerRef('AmazonMSK_sink-mnpi', 'password')).toBe(
      '${secretsmanager:AmazonMSK_sink-mnpi:password}',
    );
    expect(() => secretsManagerRef('a:b', 'password')).toThrow(/may not contain/);
  });
});
