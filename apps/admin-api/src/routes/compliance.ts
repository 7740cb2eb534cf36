import type { FastifyInstance } from 'fastify';
import { mnpiReadersReport } from '../domain/compliance';
import { doc } from './schemas';

/** The MNPI policy, live, and who can read each MNPI topic: cleared callers only (it names them all). */
export default async function complianceRoutes(app: FastifyInstance): Promise<void> {
  const { sources, model, env } = app.ctx;
  const access = { minRole: 'viewer', mnpiOnly: true } as const;
  app.get(
    '/compliance/policy',
    {
      schema: doc('compliance', 'The live MNPI access policy result and drift from the model', access),
      config: { access },
    },
    async () => {
      const p = await sources.engine.policy();
      return {
        compliant: p.desired.length === 0 && p.live.length === 0,
        violations: [...p.desired, ...p.live],
        drift: p.drift,
      };
    },
  );
  app.get(
    '/compliance/report',
    {
      schema: doc(
        'compliance',
        'For each MNPI topic, every principal that can read it and the ACLs that grant it',
        access,
      ),
      config: { access },
    },
    async () => ({
      generated_at: new Date().toISOString(),
      topics: mnpiReadersReport(model, env, await sources.kafka.acls()),
    }),
  );
}
