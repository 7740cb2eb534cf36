import {
  deriveClassification,
  zoneOf,
  type Classification,
  type EnvName,
  type PlatformModel,
  type ResourceKind,
  type ZoneName,
} from '@lakewall/platform-model';
import type { Caller } from './caller';
import { notFound } from './problem';

/**
 * The MNPI wall as the API applies it. Classification comes only from the platform model (never
 * from a request or a backing service); a caller without clearance sees public resources only.
 * Hidden and missing resources answer the same 404.
 */
export class Wall {
  private readonly classification: Classification;

  constructor(model: PlatformModel, env: EnvName) {
    this.classification = deriveClassification(model, env);
  }

  zone(kind: ResourceKind, name: string): ZoneName {
    return zoneOf(this.classification, kind, name);
  }

  canSee(caller: Caller, kind: ResourceKind, name: string): boolean {
    return caller.mnpiCleared || this.zone(kind, name) === 'public';
  }

  visible<T>(caller: Caller, kind: ResourceKind, items: readonly T[], nameOf: (t: T) => string): T[] {
    return items.filter((t) => this.canSee(caller, kind, nameOf(t)));
  }

  /** Throws the uniform 404 unless the caller may see the resource. */
  require(caller: Caller, kind: ResourceKind, name: string): ZoneName {
    if (!this.canSee(caller, kind, name)) throw notFound(kind);
    return this.zone(kind, name);
  }
}
