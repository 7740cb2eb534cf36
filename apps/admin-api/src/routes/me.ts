import type { FastifyInstance } from 'fastify';
import { hasRole } from '../domain/caller';
import { callerOf } from '../plugins/app/auth';
import { doc } from './schemas';

export default async function meRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/me',
    {
      schema: doc('me', 'Who you are: role, clearance and the actions you may call', { minRole: 'viewer' }),
      config: { access: { minRole: 'viewer' } },
    },
    async (req) => {
      const caller = callerOf(req);
      // Derived from the routes' own declarations, so it can never disagree with the auth hook.
      const actions = app.routeAccess
        .filter((r) => hasRole(caller, r.minRole) && (!r.mnpiOnly || caller.mnpiCleared))
        .map((r) => `${r.method} ${r.url}`)
        .sort();
      return {
        subject: caller.subject,
        role: caller.role,
        mnpi_clearance: caller.mnpiCleared,
        allowed_actions: actions,
      };
    },
  );
}
