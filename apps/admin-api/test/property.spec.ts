/**
 * Property: no request a client can make (any route, any path parameter, any query, any body,
 * with or without a valid token) makes the API answer 5xx. Every failure is the client's and says
 * so as a 4xx problem.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { fakes, testApp, token } from './support';

let app: FastifyInstance;
let tokens: string[];
beforeAll(async () => {
  app = await testApp(fakes({ withOptional: true }), { rateLimitPerMinute: 1_000_000 });
  tokens = [
    await token('admin', true),
    await token('viewer', false),
    await token('operator', true),
    'not-a-jwt',
  ];
});
afterAll(() => app.close());

const segment = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    'cdc.trades.mnpi',
    'cdc.market_data.public',
    'lakewall-sink-public',
    '..',
    '%',
    '%00',
    'latest',
    '-1',
    '1e309',
  ),
);
const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record(
    {
      reason: fc.string({ maxLength: 600 }),
      set: fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 1 })),
      dry_run: fc.jsonValue({ maxDepth: 0 }),
      acknowledge_findings: fc.jsonValue({ maxDepth: 0 }),
      schema: fc.string(),
    },
    { requiredKeys: [] },
  ),
);

it('never answers 5xx', async () => {
  const routes = app.routeAccess;
  await fc.assert(
    fc.asyncProperty(
      fc.nat(routes.length - 1),
      fc.array(segment, { minLength: 3, maxLength: 3 }),
      fc.dictionary(
        fc.constantFrom(
          'page_size',
          'page_token',
          'prefix',
          'zone',
          'includeTasks',
          'onlyFailed',
          'limit',
          'x',
          'actor',
        ),
        fc.string({ maxLength: 30 }),
      ),
      fc.option(jsonish, { nil: undefined }),
      fc.nat(tokens.length),
      fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
      async (i, segs, query, body, t, idem) => {
        const route = routes[i]!;
        let k = 0;
        const path = route.url.replace(/:(\w+)/g, () => encodeURIComponent(segs[k++ % segs.length] ?? ''));
        const qs = new URLSearchParams(query).toString();
        const headers: Record<string, string> = {};
        if (t < tokens.length) headers.authorization = `Bearer ${tokens[t]}`;
        if (idem !== undefined) headers['idempotency-key'] = idem.replace(/[^\x21-\x7e]/g, '');
        const res = await app.inject({
          method: route.method as 'GET',
          url: `${path}${qs ? `?${qs}` : ''}`,
          headers,
          ...(body !== undefined && route.method !== 'GET'
            ? { payload: JSON.stringify(body), headers: { ...headers, 'content-type': 'application/json' } }
            : {}),
        });
        if (res.statusCode >= 500)
          throw new Error(`${route.method} ${path}?${qs} -> ${res.statusCode} ${res.body}`);
      },
    ),
    { numRuns: 1500 },
  );
}, 120_000);
