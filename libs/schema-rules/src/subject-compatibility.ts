/**
 * Each CDC subject's compatibility rule, from the model, set through the registry's Confluent API
 * (`PUT /config/{subject}`). Apicurio 3 keeps a subject's rule even before the subject has a schema,
 * so the rules are in place before Debezium registers its first schema: there is no window in which
 * a subject takes versions under a looser rule. Safe to repeat. The local stack applies them before
 * Connect starts; on AWS the topic bootstrapper does, on every deploy, before the connectors.
 */
import { cdcSubjects, type EnvName, type PlatformModel } from '@lakewall/platform-model';

export interface AppliedRule {
  readonly subject: string;
  readonly compatibility: string;
}

/** How long one registry request may take. */
const REQUEST_TIMEOUT_MS = 10_000;

/** The rules `applySubjectCompatibility` sets: one per CDC subject; none where the format is JSON. */
export function subjectCompatibilityRules(model: PlatformModel, env: EnvName): AppliedRule[] {
  return cdcSubjects(model, env).map((s) => ({ subject: s.subject, compatibility: s.compatibility }));
}

function configUrl(ccompatUrl: string, subject: string): string {
  return `${ccompatUrl.replace(/\/+$/, '')}/config/${encodeURIComponent(subject)}`;
}

async function putCompatibility(ccompatUrl: string, subject: string, compatibility: string): Promise<void> {
  const res = await fetch(configUrl(ccompatUrl, subject), {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ compatibility }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = await res.text();
  if (!res.ok)
    throw new Error(`registry: setting ${subject}'s compatibility failed: HTTP ${res.status} ${body}`);
}

/**
 * Sets every CDC subject's rule of `env` (the registry's Confluent-compatible API base,
 * `<registry>/apis/ccompat/v7`). Stops at the first failure: a subject left without its rule must
 * fail the caller, not let Debezium register under the registry's default.
 */
export async function applySubjectCompatibility(
  model: PlatformModel,
  env: EnvName,
  ccompatUrl: string,
): Promise<AppliedRule[]> {
  const applied: AppliedRule[] = [];
  for (const rule of subjectCompatibilityRules(model, env)) {
    await putCompatibility(ccompatUrl, rule.subject, rule.compatibility);
    applied.push(rule);
  }
  return applied;
}

/** A subject's rule as the registry reports it (undefined when it has none of its own). */
export async function subjectCompatibility(ccompatUrl: string, subject: string): Promise<string | undefined> {
  const res = await fetch(configUrl(ccompatUrl, subject), {
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`registry: reading ${subject}'s compatibility failed: HTTP ${res.status}`);
  return ((await res.json()) as { compatibilityLevel?: string }).compatibilityLevel;
}
