/**
 * The wall on the lag, findings and lake routes, through inject: MNPI groups and tables are
 * hidden from callers without clearance (404 on direct access, absent from lists, in no count),
 * findings are for cleared callers only, and acknowledging one needs admin and clearance and is
 * audited with its reason.
 */
import type { FastifyInstance } from 'fastify';
import { deriveMnpiNames, tablesOf } from '@lakewall/platform-model';
import { ENV, fakes, model, testApp, token, type Fakes } from './support';

let app: FastifyInstance;
let f: Fakes;
beforeAll(async () => {
  f = fakes({ withOptional: true });
  app = await testApp(f, { rateLimitPerMinute: 100_000 });
});
afterAll(() => app.close());

const auth = async (role: 'viewer' | 'operator' | 'admin', mnpi: boolean) => ({
  authorization: `Bearer ${await token(role, mnpi)}`,
});
const MNPI_GROUP = 'connect-lakewall-sink-mnpi';
const PUBLIC_GROUP = 'connect-lakewall-sink-public';
const mnpiTopics = deriveMnpiNames(model, ENV).topics;

describe('lag', () => {
  it('answers an MNPI group like a group that does not exist, without clearance', async () => {
    const headers = await auth('admin', false);
    const hidden = await app.inject({ url: `/api/v1/groups/${MNPI_GROUP}/lag`, headers });
    const missing = await app.inject({ url: '/api/v1/groups/no-such-group/lag', headers });
    expect(hidden.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    const strip = (b: Record<string, unknown>) => ({ ...b, request_id: undefined });
    expect(strip(hidden.json())).toEqual(strip(missing.json()));
  });

  it('shows a cleared caller the MNPI group', async () => {
    const res = await app.inject({
      url: `/api/v1/groups/${MNPI_GROUP}/lag`,
      headers: await auth('viewer', true),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().group_id).toBe(MNPI_GROUP);
  });

  it('lists only public groups, and sums only the public partitions of each', async () => {
    const summary = (
      await app.inject({ url: '/api/v1/lag/summary', headers: await auth('viewer', false) })
    ).json();
    expect(summary.items.map((i: { group_id: string }) => i.group_id)).toEqual([PUBLIC_GROUP]);
    const detail = (
      await app.inject({ url: `/api/v1/groups/${PUBLIC_GROUP}/lag`, headers: await auth('viewer', false) })
    ).json();
    expect(detail.partitions.some((p: { topic: string }) => mnpiTopics.includes(p.topic))).toBe(false);
    // The fakes give every partition a lag of 32: the total counts the visible ones only.
    expect(summary.items[0].total_lag).toBe(32 * detail.partitions.length);
    const cleared = (
      await app.inject({ url: '/api/v1/lag/summary', headers: await auth('viewer', true) })
    ).json();
    expect(cleared.items.length).toBeGreaterThan(summary.items.length);
  });
});

describe('lake', () => {
  it('lists only the public tables without clearance, every table with it', async () => {
    const names = async (mnpi: boolean) =>
      (await app.inject({ url: '/api/v1/lake/tables', headers: await auth('viewer', mnpi) }))
        .json()
        .items.map((t: { table: string }) => t.table)
        .sort();
    const publicTables = tablesOf(model)
      .filter((t) => t.classification === 'public')
      .map((t) => t.name)
      .sort();
    expect(await names(false)).toEqual(publicTables);
    expect(await names(true)).toEqual(
      tablesOf(model)
        .map((t) => t.name)
        .sort(),
    );
  });

  it('answers an MNPI zone filter without clearance with an empty list', async () => {
    const res = await app.inject({
      url: '/api/v1/lake/tables?zone=mnpi',
      headers: await auth('admin', false),
    });
    expect(res.json()).toEqual({ items: [] });
  });
});

describe('findings', () => {
  it('are refused without clearance, whatever the role', async () => {
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      const res = await app.inject({ url: '/api/v1/findings', headers: await auth(role, false) });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('mnpi_clearance_required');
    }
  });

  it('are listed with their state for a cleared viewer', async () => {
    const res = await app.inject({ url: '/api/v1/findings', headers: await auth('viewer', true) });
    expect(res.json().items).toEqual([expect.objectContaining({ id: 'f-1', state: 'open' })]);
  });

  it('are acknowledged by a cleared admin only, with the reason on the audit log', async () => {
    const ack = async (role: 'operator' | 'admin', mnpi: boolean) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/findings/f-1/acknowledge',
        headers: await auth(role, mnpi),
        payload: { reason: 'masking fixed in the connector' },
      });
    expect((await ack('operator', true)).statusCode).toBe(403);
    expect((await ack('admin', false)).statusCode).toBe(403);
    const ok = await ack('admin', true);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().state).toBe('acknowledged');
    expect(f.audit).toContainEqual(
      expect.objectContaining({
        action: 'finding.acknowledge',
        phase: 'result',
        reason: 'masking fixed in the connector',
        classification: 'mnpi',
        result: expect.objectContaining({ status: 200 }),
      }),
    );
  });
});
