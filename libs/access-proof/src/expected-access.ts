import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ACCESS_KINDS } from './types';

/**
 * The reviewed list of who may reach MNPI, kept in the repository beside the infrastructure:
 *
 * - `expected`: every access a principal cleared for MNPI by the model has, with the reason it needs
 *   it (and whether it must need MFA). An allow the list does not explain fails the gate, even for a
 *   cleared principal: access grows only by a reviewed change to this file.
 * - `acknowledged`: findings (a principal not cleared for MNPI, or an outsider, reaching MNPI) that
 *   are known and being closed, each with the reason and the change that closes it. They are shown
 *   in every report and do not fail the gate while they last; an entry that no longer matches
 *   anything is stale and fails the gate, so the list only shrinks.
 *
 * `principal` and `resource` accept `*` as a wildcard; `access` is one kind, a list, or `*`.
 * Classification is never taken from this file: an `expected` entry that would cover a principal the
 * model does not clear for MNPI is an error.
 */
const Glob = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const Access = z.union([
  z.enum(['*', ...ACCESS_KINDS] as [string, ...string[]]),
  z.array(z.enum(ACCESS_KINDS as unknown as [string, ...string[]])).min(1),
]);
const Environments = z.array(z.string().min(1)).min(1).optional();

const ExpectedEntry = z.strictObject({
  principal: Glob,
  resource: Glob,
  access: Access,
  /** `required`: allowed only with MFA (an allow without MFA is unexpected); `any`: either way. */
  mfa: z.enum(['required', 'any']),
  environments: Environments,
  reason: z.string().min(10, 'must explain why this access is needed'),
});

const AcknowledgedEntry = z.strictObject({
  principal: Glob,
  resource: Glob,
  access: Access,
  environments: Environments,
  reason: z.string().min(10, 'must say what the finding is and what closes it'),
});

export const ExpectedAccessSchema = z.strictObject({
  expected: z.array(ExpectedEntry).default([]),
  acknowledged: z.array(AcknowledgedEntry).default([]),
});

export type ExpectedEntry = z.infer<typeof ExpectedEntry>;
export type AcknowledgedEntry = z.infer<typeof AcknowledgedEntry>;
export type ExpectedAccess = z.infer<typeof ExpectedAccessSchema>;

export class ExpectedAccessError extends Error {
  override name = 'ExpectedAccessError';
}

export function parseExpectedAccess(text: string, file = '<inline>'): ExpectedAccess {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0)
    throw new ExpectedAccessError(`${file}: YAML syntax: ${doc.errors[0].message.split('\n')[0]}`);
  const parsed = ExpectedAccessSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    throw new ExpectedAccessError(
      `${file} is invalid:\n` +
        parsed.error.issues.map((i) => `  ${i.path.join('.') || '(document)'}: ${i.message}`).join('\n'),
    );
  }
  return parsed.data;
}

export function loadExpectedAccess(file: string): ExpectedAccess {
  return parseExpectedAccess(readFileSync(file, 'utf8'), file);
}

export const NO_EXPECTATIONS: ExpectedAccess = { expected: [], acknowledged: [] };

export function globMatches(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(value);
}

export function entryCovers(
  entry: {
    principal: string | string[];
    resource: string | string[];
    access: string | string[];
    environments?: string[];
  },
  env: string,
  principal: string,
  resource: string,
  access: string,
): boolean {
  if (entry.environments && !entry.environments.includes(env)) return false;
  const accesses = Array.isArray(entry.access) ? entry.access : [entry.access];
  return (
    [entry.principal].flat().some((p) => globMatches(p, principal)) &&
    [entry.resource].flat().some((r) => globMatches(r, resource)) &&
    (accesses.includes('*') || accesses.includes(access))
  );
}

/** A readable reference to an entry, for stale-entry and error messages. */
export function describeEntry(
  kind: 'expected' | 'acknowledged',
  index: number,
  e: { principal: string | string[]; resource: string | string[]; access: string | string[] },
): string {
  return `${kind}[${index}] (${[e.principal].flat().join('|')} ${[e.access].flat().join('/')} ${[e.resource].flat().join('|')})`;
}
