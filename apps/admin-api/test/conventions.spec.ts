/**
 * Input validation, problem+json, pagination, idempotency, audit, the connector resume rules,
 * topic config patches, rate limiting, security headers and the sources that are not configured.
 */
import type { FastifyInstance } from 'fastify';
import { fakes, testApp, token } from './support';

const bearer = async (role: 'viewer' | 'operator' | 'admin', mnpi: boolean) => ({
  authorization: `Bearer ${await token(role, mnpi)}`,
});

describe('validation', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testApp();
  });
  afterAll(() => app.close());

  it.each([
    ['an unknown body property', { reason: 'x', force: true }, '/force'],
    ['a missing reason', {}, '/reason'],
    ['an empty reason', { reason: '' }, '/reason'],
  ])('rejects %s with 400 validation_failed naming where', async (_n, payload, path) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/connectors/lakewall-sink-public/pause',
      headers: await bearer('operator', false),
      payload,
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({
      code: 'validation_failed',
      status: 400,
      type: 'urn:lakewall:problem:validation_failed',
    });
    expect(body.errors[0]).toMatchObject({ in: 'body', path });
    expect(body.request_id).toBe(res.headers['x-request-id']);
  });

  it('rejects unknown query parameters', async () => {
    const res = await app.inject({
      url: '/api/v1/topics?pagesize=3',
      headers: await bearer('viewer', false),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ in: 'querystring', path: '/pagesize' });
  });

  it('never quotes the request in a JSON syntax error', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/connectors/lakewall-sink-public/pause',
      headers: { ...(await bearer('operator', false)), 'content-type': 'application/json' },
      payload: '{"reason": cdc.trades.mnpi',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain('cdc.trades.mnpi');
  });

  it('pages with page_size/page_token and refuses a forged token', async () => {
    const auth = await bearer('viewer', true);
    const seen: string[] = [];
    let next: string | undefined;
    do {
      const res = (
        await app.inject({
          url: `/api/v1/topics?page_size=2${next ? `&page_token=${next}` : ''}`,
          headers: auth,
        })
      ).json();
      expect(res.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.items.map((t: { name: string }) => t.name));
      next = res.next_page_token;
    } while (next);
    const all = (await app.inject({ url: '/api/v1/topics', headers: auth }))
      .json()
      .items.map((t: { name: string }) => t.name);
    expect(seen).toEqual(all);
    const bad = await app.inject({ url: '/api/v1/topics?page_token=bm9wZQ', headers: auth });
    expect(bad.json().code).toBe('invalid_page_token');
  });

  it('sets security headers and never caches', async () => {
    const res = await app.inject({ url: '/healthz' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('topic config patches', () => {
  it('applies an allow-listed config after the broker validated it', async () => {
    const f = fakes();
    const app = await testApp(f);
    const res = await app.inject({
      method: 'PATCH',
      url: '/api/v1/topics/cdc.market_data.public/configs',
      headers: await bearer('operator', false),
      payload: { reason: 'smaller segments', set: { 'segment.ms': '3600000' } },
    });
    expect(res.statusCode).toBe(200);
    expect(f.configs.get('cdc.market_data.public')).toEqual({ 'segment.ms': '3600000' });
    await app.close();
  });

  it.each([
    [{ 'cleanup.policy': 'compact' }, 400, 'config_not_allowed'],
    [{ 'segment.bytes': '5' }, 400, 'config_not_allowed'],
    [{ 'retention.ms': '1000' }, 409, 'config_owned_by_model'],
    [{ 'unclean.leader.election.enable': 'true' }, 400, 'config_not_allowed'],
    [{ 'segment.ms': '1' }, 400, 'config_invalid'],
  ])('refuses %j with %i %s and changes nothing', async (set, status, code) => {
    const f = fakes();
    const app = await testApp(f);
    const res = await app.inject({
      method: 'PATCH',
      url: '/api/v1/topics/cdc.market_data.public/configs',
      headers: await bearer('operator', false),
      payload: { reason: 'x', set },
    });
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
    expect(res.body).not.toContain('cdc.market_data.public');
    expect(f.configs.get('cdc.market_data.public')).toEqual({});
    await app.close();
  });

  it('validate_only asks the broker and writes nothing', async () => {
    const f = fakes();
    const app = await testApp(f);
    const res = await app.inject({
      method: 'PATCH',
      url: '/api/v1/topics/cdc.market_data.public/configs',
      headers: await bearer('operator', false),
      payload: { reason: 'x', set: { 'segment.ms': '3600000' }, validate_only: true },
    });
    expect(res.statusCode).toBe(200);
    expect(f.configs.get('cdc.market_data.public')).toEqual({});
    await app.close();
  });
});

describe('idempotency and audit', () => {
  it('a retry with the same Idempotency-Key returns the first result and acts once', async () => {
    const f = fakes();
    const app = await testApp(f);
    const headers = { ...(await bearer('operator', false)), 'idempotency-key': 'retry-1' };
    const req = {
      method: 'POST' as const,
      url: '/api/v1/connectors/lakewall-sink-public/restart?includeTasks=true',
      headers,
      payload: { reason: 'stuck task' },
    };
    const first = await app.inject(req);
    const second = await app.inject(req);
    expect(first.statusCode).toBe(202);
    expect(second.statusCode).toBe(202);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(f.audit.filter((e) => e.phase === 'attempt')).toHaveLength(1);
    const other = await app.inject({ ...req, payload: { reason: 'something else' } });
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('idempotency_key_reused');
    await app.close();
  });

  it('records actor, role, clearance, action, resource, classification, reason and result', async () => {
    const f = fakes();
    const app = await testApp(f);
    await app.inject({
      method: 'POST',
      url: '/api/v1/connectors/lakewall-sink-public/pause',
      headers: await bearer('operator', false),
      payload: { reason: 'maintenance' },
    });
    expect(f.audit).toEqual([
      expect.objectContaining({
        phase: 'attempt',
        actor: 'operator@example.test',
        role: 'operator',
        mnpiCleared: false,
        action: 'connector.pause',
        resource: { kind: 'connector', name: 'lakewall-sink-public' },
        classification: 'public',
        reason: 'maintenance',
      }),
      expect.objectContaining({ phase: 'result', result: { status: 202 } }),
    ]);
    await app.close();
  });

  it('refuses to act when the audit log cannot be written', async () => {
    const f = fakes({ auditFails: true });
    const app = await testApp(f);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/connectors/lakewall-sink-public/pause',
      headers: await bearer('operator', false),
      payload: { reason: 'x' },
    });
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('audit_unavailable');
    expect(f.paused.size).toBe(0);
    await app.close();
  });

  it('audits refused role checks too', async () => {
    const f = fakes();
    const app = await testApp(f);
    await app.inject({
      method: 'POST',
      url: '/api/v1/connectors/lakewall-sink-public/pause',
      headers: await bearer('viewer', false),
      payload: { reason: 'x' },
    });
    expect(f.audit).toEqual([
      expect.objectContaining({
        phase: 'denied',
        actor: 'viewer@example.test',
        result: { status: 403, code: 'forbidden_role' },
      }),
    ]);
    await app.close();
  });
});

describe('resuming a lake sink', () => {
  it('needs admin and MNPI clearance, and refuses while the zone has open findings', async () => {
    const f = fakes({ withOptional: true });
    const app = await testApp(f);
    f.paused.add('lakewall-sink-public');
    const url = '/api/v1/connectors/lakewall-sink-public/resume';
    expect(
      (
        await app.inject({
          method: 'POST',
          url,
          headers: await bearer('operator', true),
          payload: { reason: 'x' },
        })
      ).json().code,
    ).toBe('forbidden_role');
    expect(
      (
        await app.inject({
          method: 'POST',
          url,
          headers: await bearer('admin', false),
          payload: { reason: 'x' },
        })
      ).json().code,
    ).toBe('mnpi_clearance_required');
    const blocked = await app.inject({
      method: 'POST',
      url,
      headers: await bearer('admin', true),
      payload: { reason: 'x' },
    });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().code).toBe('unacknowledged_findings');
    expect(f.paused.has('lakewall-sink-public')).toBe(true);
    const ok = await app.inject({
      method: 'POST',
      url,
      headers: await bearer('admin', true),
      payload: { reason: 'false positive, checked', acknowledge_findings: true },
    });
    expect(ok.statusCode).toBe(202);
    expect(f.paused.has('lakewall-sink-public')).toBe(false);
    expect(f.findings[0]!.state).toBe('acknowledged');
    await app.close();
  });

  it('without the findings source, refuses to resume a sink (cannot tell who paused it)', async () => {
    const f = fakes();
    const app = await testApp(f);
    f.paused.add('lakewall-sink-public');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/connectors/lakewall-sink-public/resume',
      headers: await bearer('admin', true),
      payload: { reason: 'x' },
    });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'source_not_configured', source: 'findings' });
    expect(f.paused.has('lakewall-sink-public')).toBe(true);
    await app.close();
  });

  it('redacts secrets in connector configs and task traces', async () => {
    const app = await testApp();
    const body = (
      await app.inject({
        url: '/api/v1/connectors/lakewall-sink-public',
        headers: await bearer('viewer', false),
      })
    ).json();
    expect(body.config['consumer.override.sasl.jaas.config']).toBe('***');
    await app.close();
  });
});

describe('sources that are not configured', () => {
  it.each([
    '/api/v1/lake/tables',
    '/api/v1/lag/summary',
    '/api/v1/groups/connect-lakewall-sink-public/lag',
    '/api/v1/findings',
    '/api/v1/audit',
  ])('%s answers 503 source_not_configured, never made-up data', async (url) => {
    const f = fakes();
    const app = await testApp({ ...f, sources: { ...f.sources, audit: { append: f.sources.audit.append } } });
    const res = await app.inject({ url, headers: await bearer('admin', true) });
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('source_not_configured');
    await app.close();
  });
});

describe('backing-service failures', () => {
  it('answer 502 upstream_unavailable and log the error with MNPI names scrubbed', async () => {
    const { Writable } = await import('node:stream');
    const { buildApp } = await import('../src/app');
    const { Wall } = await import('../src/domain/wall');
    const { model, ENV, verify } = await import('./support');
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    const f = fakes();
    const failing = Object.assign(new Error('Not authorized to access topics: [cdc.trades.mnpi]'), {
      name: 'KafkaJSProtocolError',
    });
    const sources = {
      ...f.sources,
      kafka: { ...f.sources.kafka, topicNames: async () => Promise.reject(failing) },
    };
    const app = await buildApp({
      ctx: { env: ENV, model, wall: new Wall(model, ENV), sources },
      verify,
      logger: { level: 'error', stream },
    });
    const res = await app.inject({ url: '/api/v1/topics', headers: await bearer('viewer', true) });
    expect(res.statusCode).toBe(502);
    expect(res.json().code).toBe('upstream_unavailable');
    expect(res.body).not.toContain('cdc.trades.mnpi');
    const log = lines.join('');
    expect(log).toContain('Not authorized to access topics: [<mnpi>]');
    expect(log).not.toContain('cdc.trades.mnpi');
    await app.close();
  });
});

describe('load shedding', () => {
  it('answers 503 overloaded with Retry-After while the event loop lags', async () => {
    const app = await testApp(fakes(), { maxEventLoopDelayMs: 10 });
    const auth = await bearer('viewer', false);
    let shed: Awaited<ReturnType<typeof app.inject>> | undefined;
    for (let i = 0; i < 50 && !shed; i++) {
      const until = Date.now() + 150;
      while (Date.now() < until) {
        /* keep the event loop busy */
      }
      await new Promise((r) => setTimeout(r, 20));
      const res = await app.inject({ url: '/api/v1/topics', headers: auth });
      if (res.statusCode === 503) shed = res;
    }
    expect(shed?.json()).toMatchObject({ code: 'overloaded', status: 503 });
    expect(shed?.headers['retry-after']).toBe('5');
    await app.close();
  });
});

describe('rate limiting', () => {
  it('limits each caller separately', async () => {
    const app = await testApp(fakes(), { rateLimitPerMinute: 3 });
    const a = await bearer('viewer', false);
    const b = { authorization: `Bearer ${await token('viewer', false, { subject: 'someone-else' })}` };
    const codes = [];
    for (let i = 0; i < 4; i++)
      codes.push((await app.inject({ url: '/api/v1/topics', headers: a })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const limited = await app.inject({ url: '/api/v1/topics', headers: a });
    expect(limited.json().code).toBe('rate_limited');
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await app.inject({ url: '/api/v1/topics', headers: b })).statusCode).toBe(200);
    await app.close();
  });
});
