import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConnectionConfigError } from './errors';
import {
  findRepoRoot,
  localKafkaPort,
  localStackCredentialsPath,
  localStackKafkaConfig,
  localStackStatePath,
  readLocalStackCredentials,
} from './local-stack';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('local stack state layout', () => {
  it('uses LAKEWALL_STATE_DIR when set', () => {
    expect(localStackStatePath({ LAKEWALL_STATE_DIR: dir })).toBe(dir);
  });
  it('defaults to <repo>/.lakewall/stack', () => {
    const root = findRepoRoot(__dirname)!;
    expect(fs.existsSync(path.join(root, 'nx.json'))).toBe(true);
    expect(localStackStatePath({}, root)).toBe(path.join(root, '.lakewall', 'stack'));
    expect(localStackCredentialsPath(path.join(root, '.lakewall', 'stack'))).toBe(
      path.join(root, '.lakewall', 'stack', 'credentials.json'),
    );
  });
  it('reads the Kafka port from LAKEWALL_KAFKA_PORT, default 19092', () => {
    expect(localKafkaPort({})).toBe(19092);
    expect(localKafkaPort({ LAKEWALL_KAFKA_PORT: '29092' })).toBe(29092);
    expect(() => localKafkaPort({ LAKEWALL_KAFKA_PORT: 'x' })).toThrow(ConnectionConfigError);
  });
  it('reads credentials.json, filling missing sections', () => {
    const file = path.join(dir, 'credentials.json');
    expect(readLocalStackCredentials(file)).toBeUndefined();
    fs.writeFileSync(file, JSON.stringify({ kafka: { admin: 'a' } }));
    expect(readLocalStackCredentials(file)).toEqual({ kafka: { admin: 'a' }, postgres: {} });
    fs.writeFileSync(file, '{');
    expect(() => readLocalStackCredentials(file)).toThrow(/not valid JSON/);
  });
});

describe('localStackKafkaConfig', () => {
  it('builds a SCRAM config for a principal from the stack state', () => {
    fs.writeFileSync(
      path.join(dir, 'credentials.json'),
      JSON.stringify({ kafka: { admin: 'a', 'sink-mnpi': 's' }, postgres: {} }),
    );
    expect(
      localStackKafkaConfig('sink-mnpi', { env: { LAKEWALL_STATE_DIR: dir, LAKEWALL_KAFKA_PORT: '29092' } }),
    ).toEqual({
      clientId: 'lakewall-local-sink-mnpi',
      brokers: ['127.0.0.1:29092'],
      ssl: false,
      sasl: { mechanism: 'scram-sha-512', username: 'sink-mnpi', password: 's' },
    });
  });
  it('says how to start the stack, and which principal is unknown', () => {
    expect(() => localStackKafkaConfig('admin', { env: { LAKEWALL_STATE_DIR: dir } })).toThrow(
      /npm run stack -- up/,
    );
    fs.writeFileSync(path.join(dir, 'credentials.json'), JSON.stringify({ kafka: { admin: 'a' } }));
    expect(() => localStackKafkaConfig('nobody', { env: { LAKEWALL_STATE_DIR: dir } })).toThrow(
      /principal 'nobody'/,
    );
  });
});
