import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { hasRole, type Caller, type Role } from '../../domain/caller';
import { ApiProblem } from '../../domain/problem';
import type { TokenVerifier } from '../../domain/tokens';

/** What a route declares about who may call it. */
export interface RouteAccess {
  /** Answers without a token (health, readiness, the OpenAPI document and its UI). */
  readonly public?: boolean;
  readonly minRole?: Role;
  /** The route exists only for callers cleared for MNPI (compliance, findings, audit). */
  readonly mnpiOnly?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    caller?: Caller;
  }
}

/** The caller of an authenticated route (the onRequest hook has run). */
export function callerOf(req: FastifyRequest): Caller {
  if (!req.caller) throw new ApiProblem(401, 'unauthorized');
  return req.caller;
}

/**
 * Authentication and role checks in one onRequest hook, before any body is read: every route needs
 * a verified bearer token and its minimum role unless it is declared public. Unknown routes need a
 * token too, so the 404 of an unknown path tells an anonymous client nothing.
 */
export default fp(
  async (app, opts: { verify: TokenVerifier; publicPrefixes?: readonly string[] }) => {
    const publicPrefixes = opts.publicPrefixes ?? [];
    app.addHook('onRequest', async (req) => {
      const access = req.routeOptions.config?.access;
      if (access?.public) return;
      // The docs UI's own routes (registered by its package, without our route config).
      const url = req.routeOptions.url;
      if (url && publicPrefixes.some((p) => url === p || url.startsWith(`${p}/`))) return;
      const header = req.headers.authorization;
      const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header) : null;
      if (!match)
        throw new ApiProblem(
          401,
          'unauthorized',
          'send a bearer token in the Authorization header',
          {},
          {
            'www-authenticate': 'Bearer',
          },
        );
      req.caller = await opts.verify(match[1] ?? '');
      if (!access) return; // unknown route: the not-found handler answers
      if (access.minRole && !hasRole(req.caller, access.minRole))
        throw new ApiProblem(403, 'forbidden_role', `this action needs the ${access.minRole} role`);
      if (access.mnpiOnly && !req.caller.mnpiCleared) throw new ApiProblem(403, 'mnpi_clearance_required');
    });
  },
  { name: 'auth' },
);
