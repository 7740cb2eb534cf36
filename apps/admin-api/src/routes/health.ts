import type { FastifyInstance } from 'fastify';
import { ApiProblem } from '../domain/problem';

/** Liveness and readiness, the only API routes that answer without a token; they name nothing. */
export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  const hide = { hide: false, tags: ['health'] };
  app.get(
    '/healthz',
    { schema: { ...hide, summary: 'Liveness', security: [] }, config: { access: { public: true } } },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      schema: { ...hide, summary: 'Readiness: Kafka answers', security: [] },
      config: { access: { public: true } },
    },
    async () => {
      try {
        await app.ctx.sources.kafka.cluster();
      } catch {
        throw new ApiProblem(503, 'upstream_unavailable', 'Kafka does not answer');
      }
      return { status: 'ready' };
    },
  );
}
