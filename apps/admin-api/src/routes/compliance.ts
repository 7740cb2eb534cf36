import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { mnpiReadersReport } from '../domain/compliance';
import { sourceNotConfigured } from '../domain/problem';
import { doc, strict } from './schemas';

const AccessQuery = Type.Object(
  {
    /** The whole principal × resource matrix (thousands of cells) besides findings and verdicts. */
    include_matrix: Type.Optional(Type.Boolean({ default: false })),
  },
  strict,
);

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
  app.get(
    '/compliance/access',
    {
      schema: {
        ...doc(
          'compliance',
          "The access proof: who can reach MNPI across AWS (the deployed version's templates) and Kafka (live ACLs), with a verdict per principal",
          access,
        ),
        querystring: AccessQuery,
      },
      config: { access },
    },
    async (req) => {
      const q = req.query as Static<typeof AccessQuery>;
      if (!sources.access) throw sourceNotConfigured('access proof');
      const r = await sources.access.report();
      return {
        environment: r.environment,
        account: r.account,
        passed: r.passed,
        exit_code: r.exitCode,
        ...(r.awsNotEvaluated ? { aws_not_evaluated: r.awsNotEvaluated } : {}),
        kafka_source: r.kafka.source,
        verdicts: r.verdicts,
        findings: r.findings,
        stale_entries: r.staleEntries,
        unresolved_policies: r.unresolvedPolicies,
        ...(q.include_matrix ? { aws_cells: r.aws.cells, kafka_cells: r.kafka.cells } : {}),
      };
    },
  );
}
