import type { EnvName, PlatformModel, ZoneName } from '../schema';
import { principalsIn } from './tables';

export interface KafkaUser {
  readonly name: string;
  readonly clearance: ZoneName;
}

/** The SCRAM users an environment needs: every service principal with a kafka section. */
export function deriveKafkaUsers(model: PlatformModel, env: EnvName): KafkaUser[] {
  return principalsIn(model, env)
    .filter((p) => p.kind === 'service' && p.kafka !== undefined)
    .map((p) => ({ name: p.name, clearance: p.clearance }));
}

/** Principals cleared for a zone (used by the policy checker and the monitor). */
export function clearedFor(model: PlatformModel, env: EnvName, zone: ZoneName): string[] {
  return principalsIn(model, env)
    .filter((p) => zone === 'public' || p.clearance === 'mnpi')
    .map((p) => p.name);
}
