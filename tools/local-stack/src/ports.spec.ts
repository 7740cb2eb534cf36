import { cacheDir, stateDir } from './paths';
import { DEFAULT_PORTS, resolvePorts } from './ports';

describe('resolvePorts', () => {
  it('uses the non-default defaults', () => {
    expect(resolvePorts({})).toEqual(DEFAULT_PORTS);
  });
  it('takes overrides from the environment', () => {
    expect(resolvePorts({ LAKEWALL_KAFKA_PORT: '29092', LAKEWALL_PG_PORT: '25432' })).toMatchObject({
      kafka: 29092,
      postgres: 25432,
    });
  });
  it('rejects bad and clashing ports', () => {
    expect(() => resolvePorts({ LAKEWALL_KAFKA_PORT: 'abc' })).toThrow(
      'LAKEWALL_KAFKA_PORT=abc is not a valid TCP port',
    );
    expect(() => resolvePorts({ LAKEWALL_CONNECT_PORT: String(DEFAULT_PORTS.kafka) })).toThrow(
      /configured for both/,
    );
  });
});

describe('paths', () => {
  it('puts the cache outside the tree: LAKEWALL_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache', () => {
    expect(cacheDir({ LAKEWALL_CACHE_DIR: '/c' })).toBe('/c');
    expect(cacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/lakewall');
    expect(cacheDir({ HOME: '/h' })).toBe('/h/.cache/lakewall');
  });
  it('puts state under the repo unless LAKEWALL_STATE_DIR is set', () => {
    expect(stateDir({ LAKEWALL_STATE_DIR: '/s' })).toBe('/s');
    expect(stateDir({}, '/repo')).toBe('/repo/.lakewall/stack');
  });
});
