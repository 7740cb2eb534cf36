import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { sourceNotConfigured } from '../domain/problem';
import { callerOf } from '../plugins/app/auth';
import { doc, strict, ZoneFilter } from './schemas';

const Query = Type.Object({ zone: Type.Optional(ZoneFilter) }, strict);

export default async function lakeRoutes(app: FastifyInstance): Promise<void> {
  const { wall, sources } = app.ctx;
  app.get(
    '/lake/tables',
    {
      schema: {
        ...doc('lake', "Each zone's lake tables with snapshots and row counts, from the lake reader", {
          minRole: 'viewer',
        }),
        querystring: Query,
      },
      config: { access: { minRole: 'viewer' } },
    },
    async (req) => {
      const caller = callerOf(req);
      const q = req.query as Static<typeof Query>;
      if (!sources.lake) throw sourceNotConfigured('lake');
      // The zone comes from the model's table classification, not from what the reader reports.
      const tables = wall
        .visible(caller, 'table', await sources.lake.tables(), (t) => t.table)
        .map((t) => ({ ...t, zone: wall.zone('table', t.table) }))
        .filter((t) => (q.zone ? t.zone === q.zone : true));
      return { items: tables };
    },
  );
}
