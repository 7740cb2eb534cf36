import { clearedFor, type EnvName, type PlatformModel, type ZoneName } from '@lakewall/platform-model';

/**
 * The most restricted of some zones: the one the fewest principals are cleared for. Data mixed from
 * several zones (query results, the source database) is classified and encrypted as that zone.
 */
export function mostRestrictedZone(model: PlatformModel, env: EnvName, zones: readonly ZoneName[]): ZoneName {
  if (zones.length === 0) throw new Error('mostRestrictedZone: no zones given');
  return [...zones].sort((a, b) => clearedFor(model, env, a).length - clearedFor(model, env, b).length)[0]!;
}
