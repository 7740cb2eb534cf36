import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Plan } from '@lakewall/topic-admin';
import { doc, IdempotencyHeaders, Reason, strict } from './schemas';

const ApplyBody = Type.Object(
  {
    reason: Reason,
    dry_run: Type.Optional(
      Type.Boolean({ default: true, description: 'Only plan (the default); false applies.' }),
    ),
  },
  strict,
);

/**
 * The topic engine's plan and apply. A plan names every topic, ACL and principal, MNPI ones
 * included, so both routes are for cleared callers.
 */
export default async function topologyRoutes(app: FastifyInstance): Promise<void> {
  const { sources } = app.ctx;
  app.get(
    '/topology/plan',
    {
      schema: doc(
        'topology',
        "What applying the platform model's topics and ACLs would change (structured plan)",
        { minRole: 'operator', mnpiOnly: true },
      ),
      config: { access: { minRole: 'operator', mnpiOnly: true } },
    },
    async () => planToJson(await sources.engine.plan()),
  );
  app.post(
    '/topology/apply',
    {
      schema: {
        ...doc('topology', "Apply the platform model's topics and ACLs; a dry run unless dry_run is false", {
          minRole: 'admin',
          mnpiOnly: true,
        }),
        headers: IdempotencyHeaders,
        body: ApplyBody,
      },
      config: { access: { minRole: 'admin', mnpiOnly: true } },
    },
    async (req, reply) => {
      const body = req.body as Static<typeof ApplyBody>;
      const dryRun = body.dry_run ?? true;
      return app.mutate(
        req,
        reply,
        {
          action: dryRun ? 'topology.apply.dry-run' : 'topology.apply',
          resource: { kind: 'topology' },
          classification: 'mnpi',
          reason: body.reason,
          parameters: { dry_run: dryRun },
        },
        async () => {
          if (dryRun)
            return { status: 200, body: { dry_run: true, plan: planToJson(await sources.engine.plan()) } };
          const report = await sources.engine.apply();
          return {
            status: 200,
            body: {
              dry_run: false,
              outcome: report.outcome,
              steps: report.steps,
              plan: planToJson(report.plan),
            },
          };
        },
      );
    },
  );
}

/** The plan as plain JSON (no class instances), as the response schema describes it. */
function planToJson(plan: Plan): unknown {
  return JSON.parse(JSON.stringify(plan));
}
