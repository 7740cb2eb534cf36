/**
 * The role x clearance x route matrix, authentication failures, and the 404-not-403 rule, through
 * inject. Every authenticated route is taken from the app's own route table, so a new route is in
 * the matrix without editing this file.
 */
import type { FastifyInstance } from 'fastify';
import { SignJWT, UnsecuredJWT } from 'jose';
import { ROLES, hasRole, type Role } from '../src/domain/caller';
import { fakes, rawToken, testApp, token, ISSUER, AUDIENCE } from './support';

let app: FastifyInstance;
beforeAll(async () => {
  app = await testApp(fakes({ withOptional: true }), { rateLimitPerMinute: 100_000 });
});
afterAll(() => app.close());

/** Public resources, so the wall never answers for the role check. */
const PUBLIC_PARAMS: Record<string, string> = {
  topic: 'cdc.market_data.public',
  group: 'connect-lakewall-sink-public',
  name: 'lakewall-sink-public',
  subject: 'cdc.market_data.public-value',
  version: '1',
  id: 'f-1',
};
const BODY = { reason: 'matrix', set: { 'segment.ms': '86400000' }, schema: '{"type":"string"}' };
const bodyFor = (url: string) =>
  url.endsWith('/configs')
    ? { reason: 'matrix', set: BODY.set }
    : url.endsWith('/compatibility')
      ? { schema: BODY.schema }
      : { reason: 'matrix' };

const fill = (url: string) =>
  url.replace(/:(\w+)/g, (_, p: string) => encodeURIComponent(PUBLIC_PARAMS[p] ?? p));

describe('role x clearance x route', () => {
  const cases = ROLES.flatMap((role) => [false, true].map((mnpi) => ({ role, mnpi })));
  it.each(cases)(
    '$role (mnpi clearance: $mnpi) gets exactly the routes its role and clearance allow',
    async ({ role, mnpi }) => {
      const auth = { authorization: `Bearer ${await token(role, mnpi)}` };
      const routes = app.routeAccess.filter((r) => !r.url.endsWith('/resume'));
      expect(routes.length).toBeGreaterThan(20);
      const wrong: string[] = [];
      for (const r of routes) {
        const allowed =
          hasRole({ subject: 'x', role, mnpiCleared: mnpi }, r.minRole) && (!r.mnpiOnly || mnpi);
        const res = await app.inject({
          method: r.method as 'GET',
          url: fill(r.url),
          headers: auth,
          ...(r.method === 'GET' ? {} : { payload: bodyFor(r.url) }),
        });
        const code = res.statusCode === 403 ? res.json().code : undefined;
        const denied =
          res.statusCode === 401 ||
          (res.statusCode === 403 && ['forbidden_role', 'mnpi_clearance_required'].includes(code));
        if (allowed === denied)
          wrong.push(
            `${r.method} ${r.url}: expected ${allowed ? 'allowed' : 'denied'}, got ${res.statusCode} ${code ?? ''}`,
          );
        if (!allowed && res.statusCode === 403) {
          const expected = hasRole({ subject: 'x', role, mnpiCleared: mnpi }, r.minRole)
            ? 'mnpi_clearance_required'
            : 'forbidden_role';
          if (code !== expected) wrong.push(`${r.method} ${r.url}: code ${code}, expected ${expected}`);
        }
      }
      expect(wrong).toEqual([]);
    },
  );

  it('/me lists the same actions the matrix allows', async () => {
    const me = (
      await app.inject({
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${await token('operator', false)}` },
      })
    ).json();
    expect(me).toMatchObject({ role: 'operator', mnpi_clearance: false });
    expect(me.allowed_actions).toContain('PATCH /api/v1/topics/:topic/configs');
    expect(me.allowed_actions).not.toContain('POST /api/v1/topology/apply');
    expect(me.allowed_actions).not.toContain('GET /api/v1/compliance/report');
  });
});

describe('authentication', () => {
  const call = (authorization?: string) =>
    app.inject({ url: '/api/v1/topics', headers: authorization ? { authorization } : {} });

  it('answers 401 without a token, on known and unknown routes alike', async () => {
    for (const url of ['/api/v1/topics', '/api/v1/does-not-exist', '/api/v1/topics/cdc.trades.mnpi']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('lets health, readiness and the OpenAPI document through without a token', async () => {
    for (const url of ['/healthz', '/readyz', '/openapi.json', '/docs/'])
      expect((await app.inject({ url })).statusCode).toBe(200);
  });

  it.each([
    ['an expired token', () => token('admin', true, { ttlSeconds: -60 })],
    ['another issuer', () => token('admin', true, { issuer: 'urn:evil' })],
    ['another audience', () => token('admin', true, { audience: 'urn:other-service' })],
    [
      'an unsigned token (alg none)',
      async () =>
        new UnsecuredJWT({ roles: ['admin'], mnpi_clearance: true })
          .setSubject('x')
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime('1h')
          .encode(),
    ],
    [
      'an HS256 token',
      async () =>
        new SignJWT({ roles: ['admin'], mnpi_clearance: true })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('x')
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode('k'.repeat(32))),
    ],
    [
      'a tampered payload',
      async () => {
        const [h, , s] = (await token('viewer', false)).split('.');
        const p = Buffer.from(
          JSON.stringify({
            sub: 'x',
            roles: ['admin'],
            mnpi_clearance: true,
            iss: ISSUER,
            aud: AUDIENCE,
            exp: 9999999999,
          }),
        ).toString('base64url');
        return `${h}.${p}.${s}`;
      },
    ],
    ['an unknown role', () => token('root' as Role, true)],
  ])('refuses %s with 401 invalid_token', async (_name, make) => {
    const res = await call(`Bearer ${await make()}`);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('invalid_token');
  });

  it('combines several roles by intersection: admin + viewer acts as viewer', async () => {
    const auth = { authorization: `Bearer ${await token(['admin', 'viewer'], true)}` };
    expect((await app.inject({ url: '/api/v1/me', headers: auth })).json().role).toBe('viewer');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/connectors/lakewall-sink-public/pause',
      headers: auth,
      payload: { reason: 'x' },
    });
    expect(res.statusCode).toBe(403);
  });

  it.each([
    ['the string "true"', 'true'],
    ['a list', [true]],
    ['1', 1],
  ])('treats a clearance claim of %s as no clearance', async (_name, value) => {
    const t = await rawToken({ roles: ['admin'], mnpi_clearance: value });
    const res = await app.inject({
      url: '/api/v1/compliance/report',
      headers: { authorization: `Bearer ${t}` },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('mnpi_clearance_required');
  });

  it('a correctly signed token with the claim exactly true is cleared', async () => {
    const t = await rawToken({ roles: ['admin'], mnpi_clearance: true });
    expect(
      (await app.inject({ url: '/api/v1/compliance/report', headers: { authorization: `Bearer ${t}` } }))
        .statusCode,
    ).toBe(200);
  });
});

describe('the wall: 404, never 403, and nothing revealed', () => {
  it('answers a hidden MNPI topic exactly like a topic that does not exist', async () => {
    const auth = { authorization: `Bearer ${await token('admin', false)}` };
    const hidden = await app.inject({ url: '/api/v1/topics/cdc.trades.mnpi', headers: auth });
    const missing = await app.inject({ url: '/api/v1/topics/cdc.nothing.public', headers: auth });
    expect(hidden.statusCode).toBe(404);
    const strip = (b: Record<string, unknown>) => ({ ...b, request_id: undefined });
    expect(strip(hidden.json())).toEqual(strip(missing.json()));
  });

  it('refuses mutations on hidden resources with the same 404 and audits the denial', async () => {
    const f = fakes();
    const a = await testApp(f);
    const auth = { authorization: `Bearer ${await token('admin', false)}` };
    const res = await a.inject({
      method: 'POST',
      url: '/api/v1/connectors/lakewall-sink-mnpi/pause',
      headers: auth,
      payload: { reason: 'x' },
    });
    expect(res.statusCode).toBe(404);
    expect(f.paused.size).toBe(0);
    expect(f.audit).toEqual([
      expect.objectContaining({ phase: 'denied', result: { status: 404, code: 'not_found' } }),
    ]);
    await a.close();
  });

  it('lists only public resources and counts only what it lists', async () => {
    const auth = { authorization: `Bearer ${await token('viewer', false)}` };
    const topics = (await app.inject({ url: '/api/v1/topics', headers: auth })).json();
    // The public tables' topics and the public sink's control topic (statistics of public columns).
    expect(topics.items.map((t: { name: string }) => t.name)).toEqual([
      'cdc._iceberg_control.public',
      'cdc.cdc_heartbeat.public',
      'cdc.market_data.public',
      'cdc.reference_data.public',
    ]);
    const mnpiOnly = (await app.inject({ url: '/api/v1/topics?zone=mnpi', headers: auth })).json();
    expect(mnpiOnly).toEqual({ items: [] });
    const group = (
      await app.inject({ url: '/api/v1/groups/connect-lakewall-sink-public', headers: auth })
    ).json();
    expect(Object.keys(group.members[0].assignment).sort()).toEqual([
      'cdc._iceberg_control.public',
      'cdc.cdc_heartbeat.public',
      'cdc.market_data.public',
      'cdc.reference_data.public',
    ]);
    expect(group.offsets.every((o: { topic: string }) => o.topic.endsWith('.public'))).toBe(true);
  });
});
