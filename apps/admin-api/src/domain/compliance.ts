import {
  deriveTopics,
  kafkaPrincipal,
  type AclBinding,
  type EnvName,
  type PlatformModel,
} from '@lakewall/platform-model';
import { effectiveAccess, WILDCARD_PRINCIPAL } from '@lakewall/topic-admin';

export interface ReaderEntry {
  readonly principal: string;
  readonly clearance: 'mnpi' | 'public' | 'unknown' | 'everyone';
  readonly grantedBy: readonly AclBinding[];
}

export interface TopicReaders {
  readonly topic: string;
  readonly readers: readonly ReaderEntry[];
}

/**
 * For each MNPI topic of the model, every principal that can READ it on the live ACLs and the
 * ACLs that grant it, evaluated with Kafka's semantics by the topic engine's evaluator. Principals
 * come from the model and from the ACLs themselves, plus User:*.
 */
export function mnpiReadersReport(
  model: PlatformModel,
  env: EnvName,
  acls: readonly AclBinding[],
): TopicReaders[] {
  const clearances = new Map(
    Object.entries(model.principals).map(([n, p]) => [kafkaPrincipal(n), p.clearance]),
  );
  const subjects = [
    ...new Set([WILDCARD_PRINCIPAL, ...clearances.keys(), ...acls.map((a) => a.principal)]),
  ].sort();
  return deriveTopics(model, env)
    .filter((t) => t.zone === 'mnpi')
    .map((t) => ({
      topic: t.name,
      readers: subjects.flatMap((principal) => {
        const d = effectiveAccess(acls, {
          principal,
          resource: { type: 'TOPIC', name: t.name },
          operation: 'READ',
        });
        if (!d.allowed) return [];
        const clearance =
          principal === WILDCARD_PRINCIPAL ? 'everyone' : (clearances.get(principal) ?? 'unknown');
        return [{ principal, clearance, grantedBy: d.allowedBy }];
      }),
    }));
}
