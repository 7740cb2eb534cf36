import {
  createLocalJWKSet,
  createRemoteJWKSet,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import { effectiveRole, type Caller } from './caller';
import { ApiProblem } from './problem';

/** The claims this service reads; everything else in a token is ignored. */
export const ROLES_CLAIM = 'roles';
export const MNPI_CLAIM = 'mnpi_clearance';
export const TOKEN_ALGORITHMS = ['ES256'] as const;

export interface TokenPolicy {
  readonly issuer: string;
  readonly audience: string;
  /** Accepted clock skew. @default 5 */
  readonly clockToleranceSeconds?: number;
}

export type TokenVerifier = (token: string) => Promise<Caller>;

export function jwksFrom(
  source: { readonly jwks: JSONWebKeySet } | { readonly url: string },
): JWTVerifyGetKey {
  return 'jwks' in source ? createLocalJWKSet(source.jwks) : createRemoteJWKSet(new URL(source.url));
}

/**
 * Verifies signature (against the JWKS, ES256 only), issuer, audience and expiry (`exp` required),
 * then maps the claims to a Caller. A token naming several roles gets the least of them; the MNPI
 * clearance is a separate claim that must be exactly `true`.
 */
export function tokenVerifier(keys: JWTVerifyGetKey, policy: TokenPolicy): TokenVerifier {
  // A verified token cannot change: its caller is kept until it expires, so each request does not
  // pay for a signature check again. Bounded; the oldest entry goes first.
  const verified = new Map<string, { caller: Caller; expiresAt: number }>();
  const MAX_CACHED = 10_000;
  return async (token) => {
    const hit = verified.get(token);
    if (hit) {
      if (hit.expiresAt > Date.now()) return hit.caller;
      verified.delete(token);
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: policy.issuer,
        audience: policy.audience,
        algorithms: [...TOKEN_ALGORITHMS],
        requiredClaims: ['exp', 'sub'],
        clockTolerance: policy.clockToleranceSeconds ?? 5,
      }));
    } catch {
      // jose's messages name the failing claim; callers get one answer so tokens cannot be probed.
      throw invalidToken();
    }
    const role = effectiveRole(payload[ROLES_CLAIM]);
    if (!role || typeof payload.sub !== 'string' || payload.sub === '') throw invalidToken();
    const caller: Caller = { subject: payload.sub, role, mnpiCleared: payload[MNPI_CLAIM] === true };
    if (verified.size >= MAX_CACHED) verified.delete(verified.keys().next().value as string);
    // exp is required, so it is a number here; no clock tolerance is granted to cached tokens.
    verified.set(token, { caller, expiresAt: (payload.exp ?? 0) * 1000 });
    return caller;
  };
}

export function invalidToken(): ApiProblem {
  return new ApiProblem(
    401,
    'invalid_token',
    'the bearer token could not be verified',
    {},
    {
      'www-authenticate': 'Bearer error="invalid_token"',
    },
  );
}
