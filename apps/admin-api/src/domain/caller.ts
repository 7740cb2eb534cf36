/** Who is calling: the verified token's subject, its effective role and its MNPI clearance. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Caller {
  readonly subject: string;
  readonly role: Role;
  /** True only when the token carries the clearance claim set to exactly `true`. */
  readonly mnpiCleared: boolean;
}

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

export function hasRole(caller: Caller, min: Role): boolean {
  return roleRank(caller.role) >= roleRank(min);
}

/**
 * The effective role of a token that names several roles (one per group the user is in):
 * the intersection of what they grant, i.e. the least privileged one. Several groups never add up
 * to more access than any one of them grants. Undefined when no name is a known role.
 */
export function effectiveRole(claimed: unknown): Role | undefined {
  const names = Array.isArray(claimed) ? claimed : [claimed];
  if (names.length === 0) return undefined;
  let least: Role | undefined;
  for (const n of names) {
    if (typeof n !== 'string' || !(ROLES as readonly string[]).includes(n)) return undefined;
    const r = n as Role;
    if (least === undefined || roleRank(r) < roleRank(least)) least = r;
  }
  return least;
}
