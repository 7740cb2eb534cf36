/** The service's configuration, read once at start from flags and environment, and validated. */
import { z } from 'zod';
import { EnvName } from '@lakewall/platform-model';

export const ADMIN_API_PORT_ENV = 'LAKEWALL_ADMIN_API_PORT';
export const ADMIN_API_DEFAULT_PORT = 19500;

const port = z.coerce.number().int().min(1).max(65535);

export const ConfigSchema = z.strictObject({
  env: EnvName,
  host: z.string().min(1),
  port,
  /** JWKS: the identity provider's URL, or locally the stack's key file. */
  jwksUrl: z.url().optional(),
  jwksFile: z.string().optional(),
  issuer: z.string().min(1),
  audience: z.string().min(1),
  /**
   * The Kafka Connect REST API. Required locally; on AWS there is none (MSK Connect has no Connect
   * REST API), and without it the connector routes answer 503 `source_not_configured`.
   */
  connectUrl: z.url().optional(),
  connectUsername: z.string().optional(),
  connectPassword: z.string().optional(),
  registryUrl: z.url(),
  /** The deployed version's synthesized templates (cdk.out) for the access proof's AWS half. */
  accessTemplatesDir: z.string().min(1).optional(),
  /** The expected-access list shipped with those templates. */
  accessExpectedFile: z.string().min(1).optional(),
  rateLimitPerMinute: z.coerce.number().int().min(1),
  /** Event-loop delay above which requests are shed with 503 `overloaded`; 0 turns the check off. */
  maxEventLoopDelayMs: z.coerce.number().int().min(0),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
});

export type AdminApiConfig = z.infer<typeof ConfigSchema>;

export function portFromEnv(env: NodeJS.ProcessEnv, fallback = ADMIN_API_DEFAULT_PORT): number {
  const raw = env[ADMIN_API_PORT_ENV];
  if (raw === undefined || raw === '') return fallback;
  const parsed = port.safeParse(raw);
  if (!parsed.success) throw new Error(`${ADMIN_API_PORT_ENV}=${raw} is not a valid TCP port`);
  return parsed.data;
}

/** Reports every problem at once, each with the setting it concerns. */
export function parseConfig(input: Record<string, unknown>): AdminApiConfig {
  const r = ConfigSchema.safeParse(input);
  if (!r.success)
    throw new Error(
      `invalid admin API configuration:\n${r.error.issues.map((i) => `  ${i.path.join('.') || '(config)'}: ${i.message}`).join('\n')}`,
    );
  if (!r.data.jwksUrl && !r.data.jwksFile)
    throw new Error('invalid admin API configuration:\n  jwksUrl: set LAKEWALL_ADMIN_API_JWKS_URL');
  if (r.data.env === 'local' && !r.data.connectUrl)
    throw new Error(
      'invalid admin API configuration:\n  connectUrl: the local stack runs Kafka Connect; its REST URL is required',
    );
  return r.data;
}
