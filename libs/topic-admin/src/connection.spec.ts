import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConnectionConfigError, localStackDefaults, resolveConnection } from './connection';
import { describeKafkaError } from './kafka/errors';

describe('resolveConnection', () => {
  it('flags win over the environment', async () => {
    const r = await resolveConnection(
      { brokers: 'a:1', username: 'u', password: 'p' },
      false,
      { env: { LAKEWALL_KAFKA_BROKERS: 'b:2', LAKEWALL_KAFKA_USERNAME: 'eu', LAKEWALL_KAFKA_PASSWORD: 'ep' } },
    );
    expect(r.kafka.brokers).toEqual(['a:1']);
    expect(r.kafka.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'u', password: 'p' });
    expect(r.source).toBe('flags');
  });
  it('reads the environment, with TLS', async () => {
    const r = await resolveConnection({}, false, {
      env: {
        LAKEWALL_KAFKA_BROKERS: 'b-1.msk:9096, b-2.msk:9096',
        LAKEWALL_KAFKA_USERNAME: 'bootstrapper',
        LAKEWALL_KAFKA_PASSWORD: 'pw',
        LAKEWALL_KAFKA_TLS: 'true',
        LAKEWALL_KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      },
    });
    expect(r.kafka.brokers).toEqual(['b-1.msk:9096', 'b-2.msk:9096']);
    expect(r.kafka.ssl).toBe(true);
    expect(r.source).toBe('environment');
  });
  it('reads credentials from a Secrets Manager secret', async () => {
    const readSecret = jest.fn().mockResolvedValue(JSON.stringify({ username: 'bootstrapper', password: 's3cret' }));
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_bootstrapper-abc';
    const r = await resolveConnection({ secretArn: arn, tls: true }, false, { env: { LAKEWALL_KAFKA_BROKERS: 'b:9096' }, readSecret });
    expect(readSecret).toHaveBeenCalledWith(arn, undefined);
    expect(r.kafka.sasl).toMatchObject({ username: 'bootstrapper', password: 's3cret' });
    expect(r.source).toContain('secret');
  });
  it('rejects a secret that is not JSON', async () => {
    await expect(resolveConnection({ secretArn: 'arn:x', brokers: 'b:1' }, false, { env: {}, readSecret: async () => 'nope' })).rejects.toThrow(
      /not JSON/,
    );
  });
  it('uses the local stack admin for env local when nothing is given', async () => {
    const r = await resolveConnection({}, true, {
      env: {},
      localDefaults: () => ({ brokers: '127.0.0.1:19092', username: 'admin', password: 'pw', mechanism: 'scram-sha-512', tls: false }),
    });
    expect(r.kafka.brokers).toEqual(['127.0.0.1:19092']);
    expect(r.kafka.sasl).toMatchObject({ username: 'admin' });
    expect(r.source).toBe('local stack (admin)');
  });
  it('does not use local defaults for other environments', async () => {
    await expect(resolveConnection({}, false, { env: {}, localDefaults: () => ({ brokers: 'x:1' }) })).rejects.toThrow(/no Kafka brokers/);
  });
  it('rejects incomplete credentials, bad brokers and unknown mechanisms', async () => {
    await expect(resolveConnection({ brokers: 'a:1', username: 'u' }, false, { env: {} })).rejects.toThrow(/incomplete SASL/);
    await expect(resolveConnection({ brokers: 'a' }, false, { env: {} })).rejects.toThrow(/invalid broker/);
    await expect(resolveConnection({ brokers: 'a:1', username: 'u', password: 'p', mechanism: 'gssapi' }, false, { env: {} })).rejects.toBeInstanceOf(
      ConnectionConfigError,
    );
  });
});

describe('localStackDefaults', () => {
  it('reads the admin password from the stack credentials file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ta-'));
    fs.writeFileSync(path.join(dir, 'credentials.json'), JSON.stringify({ kafka: { admin: 'pw' } }));
    expect(localStackDefaults({ LAKEWALL_STATE_DIR: dir, LAKEWALL_KAFKA_PORT: '29092' })).toEqual({
      brokers: '127.0.0.1:29092',
      username: 'admin',
      password: 'pw',
      mechanism: 'scram-sha-512',
      tls: false,
    });
  });
  it('explains how to start the stack when it has no credentials', () => {
    expect(() => localStackDefaults({ LAKEWALL_STATE_DIR: '/nonexistent-dir' })).toThrow(/npm run stack -- up/);
  });
});

describe('describeKafkaError', () => {
  const brokers = ['127.0.0.1:1'];
  it('connection refused', () => {
    const err = Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:1'), { name: 'KafkaJSConnectionError', code: 'ECONNREFUSED' });
    const e = describeKafkaError({ name: 'KafkaJSNumberOfRetriesExceeded', message: 'x', originalError: err }, brokers);
    expect(e.kind).toBe('unreachable');
    expect(e.message).toMatch(/^Cannot reach Kafka at 127.0.0.1:1: .*ECONNREFUSED/);
    expect(e.message).not.toContain('\n');
  });
  it('bad credentials', () => {
    const e = describeKafkaError({ name: 'KafkaJSSASLAuthenticationError', message: 'SASL SCRAM SHA512 authentication failed' }, brokers, 'admin');
    expect(e.kind).toBe('authentication');
    expect(e.message).toContain("user 'admin'");
  });
  it('authorization', () => {
    const e = describeKafkaError({ name: 'KafkaJSProtocolError', type: 'CLUSTER_AUTHORIZATION_FAILED', message: 'Cluster authorization failed' }, brokers, 'outsider');
    expect(e.kind).toBe('authorization');
  });
  it('per-topic aggregate errors', () => {
    const e = describeKafkaError({ name: 'KafkaJSAggregateError', message: 'Topic creation errors', errors: [{ topic: 't', message: 'bad config' }] }, brokers);
    expect(e.message).toContain('t: bad config');
  });
});
