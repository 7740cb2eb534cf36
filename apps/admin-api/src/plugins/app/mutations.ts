import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { redactConfig } from '@lakewall/connect-rest';
import type { ZoneName } from '@lakewall/platform-model';
import { IdempotencyStore } from '../../domain/idempotency';
import { ApiProblem } from '../../domain/problem';
import type { AuditEvent, AuditLog } from '../../sources/types';
import { callerOf } from './auth';

export interface Mutation {
  readonly action: string;
  readonly resource: { readonly kind: string; readonly name?: string };
  readonly classification: ZoneName | null;
  readonly reason: string;
  readonly parameters?: Readonly<Record<string, unknown>>;
}

export interface MutationResult {
  readonly status: number;
  readonly body: unknown;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Runs a mutating action: reason required, Idempotency-Key honoured, audited before and after. */
    mutate(
      req: FastifyRequest,
      reply: FastifyReply,
      m: Mutation,
      run: () => Promise<MutationResult>,
    ): Promise<FastifyReply>;
  }
  interface FastifyRequest {
    audited?: boolean;
    problemCode?: string;
  }
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function redactParameters(p: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const strings = Object.fromEntries(Object.entries(p).filter(([, v]) => typeof v === 'string')) as Record<
    string,
    string
  >;
  return { ...p, ...redactConfig(strings) };
}

export default fp(
  async (app, opts: { audit: AuditLog; idempotency?: IdempotencyStore }) => {
    const store = opts.idempotency ?? new IdempotencyStore();
    const event = (
      req: FastifyRequest,
      partial: Omit<AuditEvent, 'at' | 'requestId' | 'actor' | 'role' | 'mnpiCleared'>,
    ): AuditEvent => ({
      at: new Date().toISOString(),
      requestId: req.id,
      actor: req.caller?.subject ?? 'anonymous',
      role: req.caller?.role ?? null,
      mnpiCleared: req.caller?.mnpiCleared ?? false,
      ...partial,
    });

    app.decorate(
      'mutate',
      async (req: FastifyRequest, reply: FastifyReply, m: Mutation, run: () => Promise<MutationResult>) => {
        const caller = callerOf(req);
        if (!m.reason.trim())
          throw new ApiProblem(400, 'reason_required', 'give a non-empty reason for this change');
        const keyHeader = req.headers['idempotency-key'];
        const key = typeof keyHeader === 'string' ? keyHeader : undefined;
        const fingerprint = IdempotencyStore.fingerprint([
          req.method,
          req.routeOptions.url,
          req.params,
          req.query,
          req.body,
        ]);
        if (key !== undefined) {
          const replay = store.begin(caller.subject, key, fingerprint);
          if (replay) {
            req.audited = true;
            return reply.status(replay.status).header('idempotent-replayed', 'true').send(replay.body);
          }
        }
        const base = {
          action: m.action,
          resource: m.resource,
          classification: m.classification,
          reason: m.reason,
          parameters: redactParameters(m.parameters ?? {}),
        };
        try {
          await opts.audit.append(event(req, { ...base, phase: 'attempt', result: { status: 0 } }));
        } catch (err) {
          if (key !== undefined) store.abandon(caller.subject, key);
          req.log.error({ err }, 'audit log write failed; refusing the change');
          throw new ApiProblem(503, 'audit_unavailable');
        }
        req.audited = true;
        let result: MutationResult;
        try {
          result = await run();
        } catch (err) {
          if (key !== undefined) store.abandon(caller.subject, key);
          const status = err instanceof ApiProblem ? err.status : 500;
          const code = err instanceof ApiProblem ? err.code : 'internal_error';
          await opts.audit
            .append(event(req, { ...base, phase: 'result', result: { status, code } }))
            .catch((e: unknown) => req.log.error({ err: e }, 'audit log write failed'));
          throw err;
        }
        if (key !== undefined) store.finish(caller.subject, key, result);
        await opts.audit
          .append(event(req, { ...base, phase: 'result', result: { status: result.status } }))
          .catch((e: unknown) =>
            req.log.error({ err: e }, 'audit log write failed after the change was made'),
          );
        return reply.status(result.status).send(result.body);
      },
    );

    // Refused mutations are audited too: wrong role, no clearance, hidden resource, bad input.
    app.addHook('onResponse', async (req, reply) => {
      if (!MUTATING.has(req.method) || req.audited || reply.statusCode < 400) return;
      await opts.audit
        .append(
          event(req, {
            action: `${req.method} ${req.routeOptions.url ?? '(unknown route)'}`,
            resource: { kind: 'route' },
            classification: null,
            parameters: { params: req.params ?? {} },
            phase: 'denied',
            result: { status: reply.statusCode, code: req.problemCode },
          }),
        )
        .catch((e: unknown) => req.log.error({ err: e }, 'audit log write failed for a denial'));
    });
  },
  { name: 'mutations' },
);
