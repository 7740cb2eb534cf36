import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import { ApiProblem } from '../../domain/problem';
import { sendProblem } from '../app/errors';

export interface SecurityOptions {
  /** Requests per caller per minute. @default 600 */
  readonly rateLimitPerMinute?: number;
  /** Event-loop delay above which requests are shed with 503; 0 turns the check off. @default 1000 */
  readonly maxEventLoopDelayMs?: number;
  /** Heap use above which requests are shed. @default 1 GiB */
  readonly maxHeapUsedBytes?: number;
}

/** Security headers, per-caller rate limiting and load shedding. */
export default fp(
  async (app, opts: SecurityOptions) => {
    await app.register(helmet, {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      hsts: { maxAge: 31536000, includeSubDomains: true },
    });
    // Keyed by the verified subject (the hook runs after authentication), else the client address.
    await app.register(rateLimit, {
      hook: 'preHandler',
      max: opts.rateLimitPerMinute ?? 600,
      timeWindow: 60_000,
      keyGenerator: (req) => (req.caller ? `sub:${req.caller.subject}` : `ip:${req.ip}`),
      errorResponseBuilder: (_req, ctx) => {
        const p = new ApiProblem(
          429,
          'rate_limited',
          'slow down and retry later',
          {},
          { 'retry-after': String(Math.ceil(ctx.ttl / 1000)) },
        );
        return Object.assign(p, { statusCode: 429 });
      },
    });
    await app.register(underPressure, {
      maxEventLoopDelay: opts.maxEventLoopDelayMs ?? 1000,
      maxHeapUsedBytes: opts.maxHeapUsedBytes ?? 1024 ** 3,
      retryAfter: 5,
      pressureHandler: (req, reply) => {
        void sendProblem(
          req,
          reply,
          new ApiProblem(503, 'overloaded', 'retry in a few seconds', {}, { 'retry-after': '5' }),
        );
      },
    });
  },
  { name: 'security' },
);
