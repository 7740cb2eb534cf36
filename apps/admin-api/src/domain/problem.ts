/**
 * RFC 9457 problem details with a stable `code`. A problem's title and detail are written by this
 * service and never echo a resource name the caller sent: the wall would leak through an error
 * message otherwise.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const PROBLEM_TITLES = {
  unauthorized: 'Authentication required',
  invalid_token: 'The bearer token is not valid',
  forbidden_role: 'Your role does not allow this action',
  mnpi_clearance_required: 'This action needs MNPI clearance',
  not_found: 'Not found',
  validation_failed: 'The request is not valid',
  invalid_page_token: 'The page token is not valid',
  reason_required: 'A reason is required',
  config_not_allowed: 'This topic config may not be changed through the API',
  config_owned_by_model: 'This topic config is declared by the platform model',
  config_invalid: 'Kafka rejected the config value',
  idempotency_key_reused: 'The Idempotency-Key was used for a different request',
  idempotency_in_progress: 'A request with this Idempotency-Key is still running',
  unacknowledged_findings: 'The zone has unacknowledged findings',
  conflict: 'The resource is not in a state that allows this',
  rate_limited: 'Too many requests',
  overloaded: 'The service is overloaded',
  source_not_configured: 'This data source is not configured on this deployment',
  upstream_unavailable: 'A backing service did not answer',
  audit_unavailable: 'The audit log cannot be written, so nothing was done',
  internal_error: 'Internal error',
} as const;

export type ProblemCode = keyof typeof PROBLEM_TITLES;

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail ?? PROBLEM_TITLES[code]);
    this.name = 'ApiProblem';
  }
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  request_id: string;
  [extra: string]: unknown;
}

export function problemBody(p: ApiProblem, requestId: string): ProblemBody {
  return {
    type: `urn:lakewall:problem:${p.code}`,
    title: PROBLEM_TITLES[p.code],
    status: p.status,
    code: p.code,
    ...(p.detail ? { detail: p.detail } : {}),
    request_id: requestId,
    ...p.extra,
  };
}

/** The one 404 for anything the caller may not see or that does not exist: the two are indistinguishable. */
export function notFound(kind: string): ApiProblem {
  return new ApiProblem(404, 'not_found', `no ${kind} with that name is visible to you`);
}

export function sourceNotConfigured(source: string): ApiProblem {
  return new ApiProblem(
    503,
    'source_not_configured',
    `the ${source} source is not configured on this deployment`,
    { source },
  );
}
