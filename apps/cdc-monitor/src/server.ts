/** The HTTP face: /metrics (from memory), /healthz (alive), /readyz (checking and collecting). */
import Fastify, { type FastifyInstance } from 'fastify';
/** What /metrics serves. */
export interface Exposition {
  readonly contentType: string;
  exposition(): Promise<string>;
}

export interface Probes {
  /** Undefined when healthy, else why not. */
  health(): string | undefined;
  ready(): string | undefined;
}

export function buildServer(metrics: Exposition, probes: Probes): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', metrics.contentType);
    return metrics.exposition();
  });
  const probe =
    (check: () => string | undefined) => async (_req: unknown, reply: { code(n: number): unknown }) => {
      const reason = check();
      if (reason) {
        reply.code(503);
        return { status: 'unavailable', reason };
      }
      return { status: 'ok' };
    };
  app.get(
    '/healthz',
    probe(() => probes.health()),
  );
  app.get(
    '/readyz',
    probe(() => probes.ready()),
  );
  return app;
}
