import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Role } from './domain/caller';
import type { IdempotencyStore } from './domain/idempotency';
import type { TokenVerifier } from './domain/tokens';
import type { AppContext } from './context';
import { mnpiScrubber } from './domain/log-scrub';
import authPlugin from './plugins/app/auth';
import errorsPlugin from './plugins/app/errors';
import mutationsPlugin from './plugins/app/mutations';
import openapiPlugin, { DOCS_PREFIX } from './plugins/external/openapi';
import securityPlugin, { type SecurityOptions } from './plugins/external/security';
import auditRoutes from './routes/audit';
import clusterRoutes from './routes/cluster';
import complianceRoutes from './routes/compliance';
import connectorRoutes from './routes/connectors';
import findingRoutes from './routes/findings';
import groupRoutes from './routes/groups';
import healthRoutes from './routes/health';
import lakeRoutes from './routes/lake';
import meRoutes from './routes/me';
import subjectRoutes from './routes/subjects';
import topicRoutes from './routes/topics';
import topologyRoutes from './routes/topology';

export const API_PREFIX = '/api/v1';
export const API_VERSION = '1.0.0';

export interface AppOptions {
  readonly ctx: AppContext;
  readonly verify: TokenVerifier;
  readonly security?: SecurityOptions;
  readonly idempotency?: IdempotencyStore;
  /** pino options or false. @default false */
  readonly logger?: FastifyServerOptions['logger'];
}

export interface RouteAccessEntry {
  readonly method: string;
  readonly url: string;
  readonly minRole: Role;
  readonly mnpiOnly: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every authenticated route with its declared access, collected as routes are added. */
    routeAccess: RouteAccessEntry[];
  }
}

/**
 * Logs name the route pattern, never the URL: a path can hold an MNPI resource name, and the
 * service's logs are read by people who are not all cleared.
 */
function serializers(scrub: (text: string) => string) {
  return {
    req: (req: { id: string; method: string; routeOptions?: { url?: string } }) => ({
      id: req.id,
      method: req.method,
      route: req.routeOptions?.url ?? '(unknown route)',
    }),
    // Backing services' errors quote resource names: the model's MNPI names are scrubbed.
    err: (err: Error & { type?: string; kind?: string }) => ({
      type: err.name,
      ...(err.kind ? { kind: err.kind } : {}),
      message: scrub(String(err.message)),
      stack: scrub(String(err.stack ?? '')),
    }),
  };
}

/** The API, layered as fastify/demo does: external plugins, then app plugins, then routes. */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const logger =
    opts.logger === undefined || opts.logger === false
      ? false
      : {
          ...(opts.logger === true ? {} : opts.logger),
          serializers: serializers(mnpiScrubber(opts.ctx.model, opts.ctx.env)),
        };
  const app = Fastify({
    logger,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
    },
  });
  app.decorate('ctx', opts.ctx);
  app.decorate('routeAccess', [] as RouteAccessEntry[]);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (!access?.minRole || route.schema?.hide) return;
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      app.routeAccess.push({
        method,
        url: route.url,
        minRole: access.minRole,
        mnpiOnly: access.mnpiOnly ?? false,
      });
    }
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
    reply.header('cache-control', 'no-store');
  });

  await app.register(errorsPlugin);
  // external
  await app.register(securityPlugin, opts.security ?? {});
  await app.register(openapiPlugin, { version: API_VERSION });
  // app
  await app.register(authPlugin, { verify: opts.verify, publicPrefixes: [DOCS_PREFIX] });
  await app.register(mutationsPlugin, { audit: opts.ctx.sources.audit, idempotency: opts.idempotency });
  // routes
  await app.register(healthRoutes);
  await app.register(
    async (api) => {
      for (const routes of [
        meRoutes,
        clusterRoutes,
        topicRoutes,
        groupRoutes,
        connectorRoutes,
        subjectRoutes,
        lakeRoutes,
        findingRoutes,
        topologyRoutes,
        complianceRoutes,
        auditRoutes,
      ])
        await api.register(routes);
    },
    { prefix: API_PREFIX },
  );
  return app;
}
