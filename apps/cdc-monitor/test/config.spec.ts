import { ConfigError, readConfig } from '../src/config';

describe('monitor configuration', () => {
  it('needs an environment, and defaults the port to 19400', () => {
    expect(() => readConfig({}, {})).toThrow(/--env \/ LAKEWALL_ENV/);
    const c = readConfig({ env: 'local' }, { LAKEWALL_STATE_DIR: '/tmp/s' });
    expect(c.port).toBe(19400);
    expect(c.localStateDir).toBe('/tmp/s');
  });

  it('takes --port over LAKEWALL_MONITOR_PORT, and refuses a bad one naming both', () => {
    expect(readConfig({ env: 'local', port: '39400' }, { LAKEWALL_MONITOR_PORT: '1234' }).port).toBe(39400);
    expect(readConfig({ env: 'local' }, { LAKEWALL_MONITOR_PORT: '1234' }).port).toBe(1234);
    expect(() => readConfig({ env: 'local', port: '70000' }, {})).toThrow(/--port \/ LAKEWALL_MONITOR_PORT/);
  });

  it('derives the local stack’s registry and Connect URLs from its ports; cloud needs them given', () => {
    const local = readConfig(
      { env: 'local' },
      { LAKEWALL_REGISTRY_PORT: '38081', LAKEWALL_CONNECT_PORT: '38083' },
    );
    expect(local.registryUrl).toBe('http://127.0.0.1:38081/apis/ccompat/v7');
    expect(local.connectUrl).toBe('http://127.0.0.1:38083');
    const dev = readConfig({ env: 'dev' }, {});
    expect(dev.registryUrl).toBeUndefined();
    expect(dev.localStateDir).toBeUndefined();
  });

  it('reports every problem at once and refuses half of a credential pair', () => {
    let message = '';
    try {
      readConfig(
        { env: 'nowhere' },
        { LAKEWALL_MONITOR_LAG_INTERVAL_MS: 'soon', LAKEWALL_MONITOR_GROUP_PATTERNS: 'ok,(' },
      );
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      message = (e as Error).message;
    }
    expect(message).toMatch(/LAKEWALL_ENV/);
    expect(message).toMatch(/LAKEWALL_MONITOR_LAG_INTERVAL_MS/);
    expect(message).toMatch(/"\(" is not a valid regular expression/);
    expect(() => readConfig({ env: 'dev' }, { LAKEWALL_CONNECT_USERNAME: 'u' })).toThrow(/go together/);
  });

  it('anchors group patterns and keeps only Kafka and AWS variables for the connection', () => {
    const c = readConfig(
      { env: 'dev' },
      { LAKEWALL_MONITOR_GROUP_PATTERNS: 'cg-control-.*', LAKEWALL_KAFKA_BROKERS: 'b:9092', SECRET: 'x' },
    );
    expect(c.groupPatterns[0]!.test('cg-control-abc')).toBe(true);
    expect(c.groupPatterns[0]!.test('x-cg-control-abc')).toBe(false);
    expect(c.connectionEnv).toEqual({ LAKEWALL_KAFKA_BROKERS: 'b:9092' });
  });
});
