/** TypeBox pieces shared by the routes. No `examples`: an example could only ever name a resource. */
import { Type, type TSchema } from '@sinclair/typebox';
import type { Role } from '../domain/caller';
import { MAX_PAGE_SIZE } from '../domain/paging';

export const strict = { additionalProperties: false } as const;

export const Reason = Type.String({
  minLength: 1,
  maxLength: 500,
  description: 'Why: kept in the audit log.',
});
export const ReasonBody = Type.Object({ reason: Reason }, strict);

export const TopicName = Type.String({ pattern: '^[A-Za-z0-9._-]{1,249}$' });
export const ConnectorName = Type.String({ pattern: '^[A-Za-z0-9._-]{1,249}$' });
export const GroupId = Type.String({ pattern: '^[A-Za-z0-9._:@-]{1,255}$' });
export const SubjectName = Type.String({ pattern: '^[A-Za-z0-9._:@-]{1,255}$' });
export const ZoneFilter = Type.Union([Type.Literal('mnpi'), Type.Literal('public')]);

export const PageQuery = {
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE })),
  page_token: Type.Optional(Type.String({ maxLength: 200 })),
};

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$' }),
  ),
});

export const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  code: Type.String(),
  detail: Type.Optional(Type.String()),
  request_id: Type.String(),
});

/** Route documentation: tag, summary, who may call it, and the problem answers. */
export function doc(
  tag: string,
  summary: string,
  access: { minRole: Role; mnpiOnly?: boolean },
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const who = `Needs role ${access.minRole}${access.mnpiOnly ? ' and MNPI clearance' : ''}.`;
  return {
    tags: [tag],
    summary,
    description: `${summary}. ${who}`,
    'x-min-role': access.minRole,
    'x-mnpi-clearance-required': access.mnpiOnly ?? false,
    ...extra,
  };
}

export function params<T extends Record<string, TSchema>>(props: T) {
  return Type.Object(props, strict);
}
