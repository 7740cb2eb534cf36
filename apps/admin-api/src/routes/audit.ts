import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { sourceNotConfigured } from '../domain/problem';
import { doc, strict } from './schemas';

const Query = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    action: Type.Optional(Type.String({ maxLength: 100 })),
    actor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  strict,
);

/** The audit log names MNPI resources, so it is MNPI-classified: cleared admins only. */
export default async function auditRoutes(app: FastifyInstance): Promise<void> {
  const { sources } = app.ctx;
  const access = { minRole: 'admin', mnpiOnly: true } as const;
  app.get(
    '/audit',
    {
      schema: { ...doc('audit', 'Recent audit events, newest first', access), querystring: Query },
      config: { access },
    },
    async (req) => {
      const q = req.query as Static<typeof Query>;
      if (!sources.audit.recent) throw sourceNotConfigured('audit reader');
      const events = await sources.audit.recent(1000);
      return {
        items: events
          .filter((e) => (q.action ? e.action === q.action : true))
          .filter((e) => (q.actor ? e.actor === q.actor : true))
          .slice(0, q.limit ?? 100),
      };
    },
  );
}
