/**
 * The admin API on AWS: its settings (the environment contract with the ECS task definition) and
 * the connector routes where there is no Kafka Connect REST API (MSK Connect has none).
 */
import { ZodOptional } from 'zod';
import { ADMIN_API_CLOUD_ENV, ADMIN_API_REQUIRED_CLOUD_SETTINGS } from '@lakewall/kafka-connection';
import { ConfigSchema, parseConfig } from '../src/config';
import { fakes, testApp, token } from './support';

/** What main.ts takes from flags and defaults, not from the cloud environment variables. */
const base = {
  env: 'dev',
  host: '0.0.0.0',
  port: 8080,
  rateLimitPerMinute: 600,
  maxEventLoopDelayMs: 1000,
  logLevel: 'info',
};
const cloudValues: Record<string, string> = {
  jwksUrl: 'https://identity.example.test/certs',
  issuer: 'https://identity.example.test/realms/dev',
  audience: 'lakewall-admin-api',
  registryUrl: 'http://schema-registry.services.lakewall-dev.internal:8080/apis/ccompat/v7',
};
const required = (): Record<string, string> =>
  Object.fromEntries(ADMIN_API_REQUIRED_CLOUD_SETTINGS.map((s) => [s, cloudValues[s]!]));

describe('the admin API configuration on AWS', () => {
  it('names every required setting of the schema as a required cloud setting (or a flag)', () => {
    const requiredBySchema = Object.entries(ConfigSchema.shape)
      .filter(([, field]) => !(field instanceof ZodOptional))
      .map(([name]) => name)
      .filter((name) => !(name in base));
    for (const name of requiredBySchema) expect(ADMIN_API_REQUIRED_CLOUD_SETTINGS).toContain(name);
    for (const name of ADMIN_API_REQUIRED_CLOUD_SETTINGS)
      expect(Object.keys(ADMIN_API_CLOUD_ENV)).toContain(name);
  });

  it('starts with exactly the required cloud settings, and without any one of them refuses to', () => {
    expect(() => parseConfig({ ...base, ...required() })).not.toThrow();
    for (const setting of ADMIN_API_REQUIRED_CLOUD_SETTINGS) {
      const { [setting]: _dropped, ...rest } = required();
      expect(() => parseConfig({ ...base, ...rest })).toThrow(/invalid admin API configuration/);
    }
  });

  it('needs no Kafka Connect URL in a cloud environment, and still needs one locally', () => {
    expect(parseConfig({ ...base, ...required() }).connectUrl).toBeUndefined();
    expect(() => parseConfig({ ...base, ...required(), env: 'local' })).toThrow(/connectUrl/);
    expect(
      parseConfig({ ...base, ...required(), env: 'local', connectUrl: 'http://127.0.0.1:8083' }).connectUrl,
    ).toBe('http://127.0.0.1:8083');
  });
});

describe('connector routes without a Kafka Connect REST API', () => {
  const bearer = async () => ({ authorization: `Bearer ${await token('admin', true)}` });
  const name = 'lakewall-sink-public';

  it.each([
    ['GET', '/api/v1/connectors'],
    ['GET', `/api/v1/connectors/${name}`],
    ['POST', `/api/v1/connectors/${name}/restart`],
    ['POST', `/api/v1/connectors/${name}/pause`],
    ['POST', `/api/v1/connectors/${name}/resume`],
  ] as const)('%s %s answers 503 source_not_configured and does nothing', async (method, url) => {
    const f = fakes({ withOptional: true });
    const { connect: _none, ...sources } = f.sources;
    const app = await testApp({ ...f, sources });
    const res = await app.inject({
      method,
      url,
      headers: {
        ...(await bearer()),
        ...(method === 'POST' ? { 'idempotency-key': `k-${method}-${url.split('/').pop()}` } : {}),
      },
      ...(method === 'POST' ? { payload: { reason: 'rebalance after maintenance' } } : {}),
    });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 503, code: 'source_not_configured', source: 'connect' });
    // A refused change is audited as denied, like any other refusal; nothing was attempted.
    expect(f.audit.map((e) => [e.phase, e.result?.code])).toEqual(
      method === 'POST' ? [['denied', 'source_not_configured']] : [],
    );
    expect(f.paused.size).toBe(0);
    await app.close();
  });
});
