import { importJWK, SignJWT, type JWK } from 'jose';
import type { Role } from './caller';
import { MNPI_CLAIM, ROLES_CLAIM } from './tokens';

export interface MintOptions {
  readonly subject: string;
  readonly roles: readonly Role[];
  readonly mnpi: boolean;
  readonly ttlSeconds: number;
  readonly issuer: string;
  readonly audience: string;
}

/** Signs a token the API accepts (ES256). For the local stack's `admin-token` and for tests. */
export async function mintToken(privateJwk: JWK, o: MintOptions): Promise<string> {
  const key = await importJWK(privateJwk, 'ES256');
  return new SignJWT({ [ROLES_CLAIM]: [...o.roles], [MNPI_CLAIM]: o.mnpi })
    .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid, typ: 'JWT' })
    .setSubject(o.subject)
    .setIssuer(o.issuer)
    .setAudience(o.audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + o.ttlSeconds)
    .sign(key);
}
