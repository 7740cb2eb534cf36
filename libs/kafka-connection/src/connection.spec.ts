import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { localStackDefaults, resolveConnection } from './connection';
import { ConnectionConfigError } from './errors';

describe('resolveConnection', () => {
  it('flags win over the environment', async () => {
    const r = await resolveConnection({ brokers: 'a:1', username: 'u', password: 'p' }, false, {
      env: { LAKEWALL_KAFKA_BROKERS: 'b:2', LAKEWALL_KAFKA_USERNAME: 'eu', LAKEWALL_KAFKA_PASSWORD: 'ep' },
    });
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
    const readSecret = jest
      .fn()
      .mockResolvedValue(JSON.stringify({ username: 'bootstrapper', password: 's3cret' }));
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_bootstrapper-abc';
    const r = await resolveConnection({ secretArn: arn, tls: true }, false, {
      env: { LAKEWALL_KAFKA_BROKERS: 'b:9096' },
      readSecret,
    });
    expect(readSecret).toHaveBeenCalledWith(arn, undefined);
    expect(r.kafka.sasl).toMatchObject({ username: 'bootstrapper', password: 's3cret' });
    expect(r.source).toContain('secret');
  });
  it('rejects a secret that is not JSON', async () => {
    await expect(
      resolveConnection({ secretArn: 'arn:x', brokers: 'b:1' }, false, {
        env: {},
        readSecret: async () => 'nope',
      }),
    ).rejects.toThrow(/not JSON/);
  });
  it('uses the local stack admin for env local when nothing is given', async () => {
    const r = await resolveConnection({}, true, {
      env: {},
      localDefaults: () => ({
        brokers: '127.0.0.1:19092',
        username: 'admin',
        password: 'pw',
        mechanism: 'scram-sha-512',
        tls: false,
      }),
    });
    expect(r.kafka.brokers).toEqual(['127.0.0.1:19092']);
    expect(r.kafka.sasl).toMatchObject({ username: 'admin' });
    expect(r.source).toBe('local stack (admin)');
  });
  it('does not use local defaults for other environments', async () => {
    await expect(
      resolveConnection({}, false, { env: {}, localDefaults: () => ({ brokers: 'x:1' }) }),
    ).rejects.toThrow(/no Kafka brokers/);
  });
  it('registers the ZSTD codec and names the client', async () => {
    const r = await resolveConnection({ brokers: 'a:1', clientId: 'lakewall-topic-bootstrapper' }, false, {
      env: {},
    });
    expect(r.kafka.clientId).toBe('lakewall-topic-bootstrapper');
    expect((await resolveConnection({ brokers: 'a:1' }, false, { env: {} })).kafka.clientId).toBe('lakewall');
    const codec = (CompressionCodecs as unknown as Record<number, () => { decompress: unknown }>)[
      CompressionTypes.ZSTD
    ]();
    expect(typeof codec.decompress).toBe('function');
  });
  it('rejects incomplete credentials, bad brokers and unknown mechanisms', async () => {
    await expect(resolveConnection({ brokers: 'a:1', username: 'u' }, false, { env: {} })).rejects.toThrow(
      /incomplete SASL/,
    );
    await expect(resolveConnection({ brokers: 'a' }, false, { env: {} })).rejects.toThrow(/invalid broker/);
    await expect(
      resolveConnection({ brokers: 'a:1', username: 'u', password: 'p', mechanism: 'gssapi' }, false, {
        env: {},
      }),
    ).rejects.toBeInstanceOf(ConnectionConfigError);
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
    expect(() => localStackDefaults({ LAKEWALL_STATE_DIR: '/nonexistent-dir' })).toThrow(
      /npm run stack -- up/,
    );
  });
});
