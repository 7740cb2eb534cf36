/**
 * `npm run admin-token -- --role viewer|operator|admin [--mnpi] [--ttl 1h]`: prints a bearer token
 * signed with the local stack's key (created at `stack up`). For the local stack only.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { LOCAL_TOKEN_AUDIENCE, LOCAL_TOKEN_ISSUER, localStackStatePath } from '@lakewall/kafka-connection';
import { ROLES, type Role } from './domain/caller';
import { mintToken } from './domain/mint';
import { readLocalPrivateJwk } from './local-keys';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const MAX_TTL_SECONDS = 24 * 3600;

export function parseTtl(v: string): number {
  const [, amount, unit] = /^(\d+)([smhd])$/.exec(v) ?? [];
  const perUnit = unit ? UNITS[unit] : undefined;
  if (!amount || !perUnit) throw new InvalidArgumentError('use a number and a unit: 90s, 15m, 1h, 1d');
  const seconds = Number(amount) * perUnit;
  if (seconds < 1 || seconds > MAX_TTL_SECONDS) throw new InvalidArgumentError('must be between 1s and 24h');
  return seconds;
}

async function main(): Promise<void> {
  const opts = new Command('admin-token')
    .addOption(new Option('--role <role>', 'viewer, operator or admin').choices(ROLES).makeOptionMandatory())
    .option('--mnpi', 'add the MNPI clearance claim', false)
    .option('--ttl <duration>', 'lifetime (max 24h)', parseTtl, 3600)
    .option('--subject <sub>', 'the token subject', `local-${process.env.USER ?? 'user'}`)
    .parse()
    .opts<{ role: Role; mnpi: boolean; ttl: number; subject: string }>();
  const key = readLocalPrivateJwk(localStackStatePath());
  process.stdout.write(
    `${await mintToken(key, { subject: opts.subject, roles: [opts.role], mnpi: opts.mnpi, ttlSeconds: opts.ttl, issuer: LOCAL_TOKEN_ISSUER, audience: LOCAL_TOKEN_AUDIENCE })}\n`,
  );
}

if (require.main === module)
  main().catch((err: unknown) => {
    console.error(`admin-token: ${(err as Error).message}`);
    process.exitCode = 1;
  });
