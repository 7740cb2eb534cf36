/**
 * Each CDC subject's compatibility rule, from the model, set through the registry's Confluent API
 * (`PUT /config/{subject}`). Apicurio 3 keeps a subject's rule even before the subject has a schema,
 * so the rules are in place before Debezium registers its first schema: there is no window in which
 * a subject takes versions under a looser rule. Safe to repeat.
 */
import { cdcSubjects, type EnvName, type PlatformModel } from '@lakewall/platform-model';

export interface AppliedRule {
  readonly subject: string;
  readonly compatibility: string;
}

async function putCompatibility(ccompatUrl: string, subject: string, compatibility: string): Promise<void> {
  const res = await fetch(`${ccompatUrl}/config/${encodeURIComponent(subject)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ compatibility }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await res.text();
  if (!res.ok)
    throw new Error(`registry: setting ${subject}'s compatibility failed: HTTP ${res.status} ${body}`);
}

export async function applySubjectCompatibility(
  model: PlatformModel,
  env: EnvName,
  ccompatUrl: string,
): Promise<AppliedRule[]> {
  const applied: AppliedRule[] = [];
  for (const s of cdcSubjects(model, env)) {
    await putCompatibility(ccompatUrl, s.subject, s.compatibility);
    applied.push({ subject: s.subject, compatibility: s.compatibility });
  }
  return applied;
}

/** A subject's rule as the registry reports it (undefined when it has none of its own). */
export async function subjectCompatibility(ccompatUrl: string, subject: string): Promise<string | undefined> {
  const res = await fetch(`${ccompatUrl}/config/${encodeURIComponent(subject)}`, {
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`registry: reading ${subject}'s compatibility failed: HTTP ${res.status}`);
  return ((await res.json()) as { compatibilityLevel?: string }).compatibilityLevel;
}
