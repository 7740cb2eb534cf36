import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { notFound, sourceNotConfigured } from '../domain/problem';
import { callerOf } from '../plugins/app/auth';
import { doc, IdempotencyHeaders, params, ReasonBody } from './schemas';

const IdParams = params({ id: Type.String({ pattern: '^[A-Za-z0-9._:-]{1,128}$' }) });

/** Leak findings are about MNPI by nature: only cleared callers reach them. */
export default async function findingRoutes(app: FastifyInstance): Promise<void> {
  const { sources } = app.ctx;
  app.get(
    '/findings',
    {
      schema: doc('findings', 'Leak findings with their state', { minRole: 'viewer', mnpiOnly: true }),
      config: { access: { minRole: 'viewer', mnpiOnly: true } },
    },
    async () => {
      if (!sources.findings) throw sourceNotConfigured('findings');
      return { items: await sources.findings.findings() };
    },
  );
  app.post(
    '/findings/:id/acknowledge',
    {
      schema: {
        ...doc('findings', 'Acknowledge a finding', { minRole: 'admin', mnpiOnly: true }),
        params: IdParams,
        headers: IdempotencyHeaders,
        body: ReasonBody,
      },
      config: { access: { minRole: 'admin', mnpiOnly: true } },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const { id } = req.params as Static<typeof IdParams>;
      const { reason } = req.body as Static<typeof ReasonBody>;
      const findings = sources.findings;
      if (!findings) throw sourceNotConfigured('findings');
      return app.mutate(
        req,
        reply,
        {
          action: 'finding.acknowledge',
          resource: { kind: 'finding', name: id },
          classification: 'mnpi',
          reason,
        },
        async () => {
          const f = await findings.acknowledge(id, caller.subject, reason);
          if (!f) throw notFound('finding');
          return { status: 200, body: f };
        },
      );
    },
  );
}
