/**
 * The wall, walked: every route of the OpenAPI document, called with a token without MNPI
 * clearance for each role, with path parameters filled with every name the model derives (MNPI
 * ones included) and with the public ones. No MNPI name of the model may appear in any response
 * body or header.
 */
import type { FastifyInstance } from 'fastify';
import { deriveMnpiNames, deriveSinks, deriveTopics, debeziumConnectorName } from '@lakewall/platform-model';
import { ROLES } from '../src/domain/caller';
import { containsName, ENV, fakes, mnpiNames, model, testApp, token } from './support';

let app: FastifyInstance;
beforeAll(async () => {
  app = await testApp(fakes({ withOptional: true }), { rateLimitPerMinute: 100_000 });
});
afterAll(() => app.close());

const topics = deriveTopics(model, ENV).map((t) => t.name);
const n = deriveMnpiNames(model, ENV);
const candidates: Record<string, string[]> = {
  topic: topics,
  group: [...deriveSinks(model, ENV).map((s) => s.group), ...n.groups],
  name: [debeziumConnectorName(model), ...deriveSinks(model, ENV).map((s) => s.connectorName)],
  subject: topics.map((t) => `${t}-value`),
  version: ['1', 'latest'],
  id: ['f-1'],
};

interface Operation {
  method: string;
  path: string;
  hasBody: boolean;
}

function operations(doc: { paths: Record<string, Record<string, { requestBody?: unknown }>> }): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      hasBody: op.requestBody !== undefined,
    })),
  );
}

/** Every way to fill a path's parameters from the candidates. */
function expand(path: string): string[] {
  const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  let urls = [path];
  for (const p of params) {
    const values = candidates[p];
    if (!values) throw new Error(`no candidate values for path parameter ${p}`);
    urls = urls.flatMap((u) => values.map((v) => u.replace(`{${p}}`, encodeURIComponent(v))));
  }
  return urls;
}

const BODY = {
  reason: 'walk test',
  set: { 'segment.ms': '86400000' },
  schema: '{"type":"string"}',
  acknowledge_findings: true,
  dry_run: true,
};

function leaks(text: string): string[] {
  return mnpiNames().filter((name) => containsName(text, name));
}

it('the document lists the API (a walk over nothing would prove nothing)', async () => {
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  expect(operations(doc).length).toBeGreaterThan(20);
  expect(leaks(JSON.stringify(doc))).toEqual([]);
});

describe.each(ROLES)('a %s without MNPI clearance', (role) => {
  it('never receives an MNPI name in any body or header of any route', async () => {
    const auth = { authorization: `Bearer ${await token(role, false)}` };
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const found: string[] = [];
    let calls = 0;
    let ok = 0;
    for (const op of operations(doc)) {
      for (const url of expand(op.path)) {
        for (const body of op.hasBody ? [BODY, { reason: 'walk test' }] : [undefined]) {
          const res = await app.inject({
            method: op.method as 'GET',
            url,
            headers: auth,
            ...(body ? { payload: body } : {}),
          });
          calls++;
          if (res.statusCode < 300) ok++;
          const text = `${JSON.stringify(res.headers)}\n${res.body}`;
          for (const name of leaks(text)) found.push(`${op.method} ${op.path} -> ${res.statusCode}: ${name}`);
        }
      }
    }
    expect(found).toEqual([]);
    expect(calls).toBeGreaterThan(100);
    // Public resources were really served, so the absence of MNPI names is not an absence of data.
    expect(ok).toBeGreaterThan(10);
  }, 60_000);
});

it('a cleared viewer does see MNPI names (the check can fail)', async () => {
  const auth = { authorization: `Bearer ${await token('viewer', true)}` };
  const res = await app.inject({ method: 'GET', url: '/api/v1/topics', headers: auth });
  expect(leaks(res.body).length).toBeGreaterThan(0);
});

it('the name matcher finds names inside longer identifiers but not inside words', () => {
  expect(containsName('{"name":"cdc.trades.mnpi-value"}', 'cdc.trades.mnpi')).toBe(true);
  expect(containsName('cdc.trades.mnpi-value', 'trades')).toBe(true);
  expect(containsName('tradesman', 'trades')).toBe(false);
});
