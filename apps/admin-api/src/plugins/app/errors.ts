import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblem, notFound, problemBody, PROBLEM_CONTENT_TYPE } from '../../domain/problem';

export function sendProblem(req: FastifyRequest, reply: FastifyReply, problem: ApiProblem): FastifyReply {
  for (const [k, v] of Object.entries(problem.headers)) reply.header(k, v);
  req.problemCode = problem.code;
  return reply.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(problemBody(problem, req.id));
}

/** Fastify's schema errors as a list of "where: what", without the offending values. */
function validationProblem(err: FastifyError): ApiProblem {
  const where = err.validationContext ?? 'request';
  const errors = (err.validation ?? []).map((v) => {
    const params = v.params as Record<string, unknown>;
    const named = params.additionalProperty ?? params.missingProperty;
    const extra = typeof named === 'string' ? `/${named}` : '';
    return {
      in: where,
      path: `${v.instancePath || ''}${extra}` || '/',
      message: v.message ?? 'is not valid',
    };
  });
  return new ApiProblem(400, 'validation_failed', `the ${where} does not match the schema`, { errors });
}

/**
 * One error handler: every failure becomes problem+json with a stable code and the request id.
 * Unexpected errors are logged with their stack on the server and answered with a bare 500.
 */
export default fp(
  async (app) => {
    app.setErrorHandler((err: FastifyError, req, reply) => {
      if (err instanceof ApiProblem) return sendProblem(req, reply, err);
      if (err.validation) return sendProblem(req, reply, validationProblem(err));
      if (err.statusCode === 429)
        return sendProblem(req, reply, new ApiProblem(429, 'rate_limited', 'slow down and retry later'));
      if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
        // Fastify's own client errors (bad JSON, wrong content type, body too large): only the
        // stable code, since messages such as JSON.parse's quote parts of the request.
        return sendProblem(
          req,
          reply,
          new ApiProblem(
            err.statusCode,
            'validation_failed',
            `the request was refused (${err.code ?? 'bad request'})`,
          ),
        );
      }
      if (/^(Kafka|ConnectRest|SourceUnavailable)/.test(err.name ?? '')) {
        // A backing service refused or failed; its message can name resources, so it stays in the log.
        req.log.error({ err }, 'backing service error');
        return sendProblem(
          req,
          reply,
          new ApiProblem(502, 'upstream_unavailable', 'a backing service failed; see the service log'),
        );
      }
      req.log.error({ err }, 'unhandled error');
      return sendProblem(req, reply, new ApiProblem(500, 'internal_error'));
    });
    app.setNotFoundHandler((req, reply) => sendProblem(req, reply, notFound('route')));
  },
  { name: 'errors' },
);
