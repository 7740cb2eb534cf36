import { Command, CommanderError, Option } from 'commander';
import { z } from 'zod';

/** The environment the task definition sets: ARNs and addresses only, never a secret value. */
export const SETUP_ENV = {
  host: 'LAKEWALL_DB_HOST',
  port: 'LAKEWALL_DB_PORT',
  adminSecretArn: 'LAKEWALL_DB_ADMIN_SECRET_ARN',
  roles: 'LAKEWALL_DB_ROLES',
  caFile: 'LAKEWALL_DB_CA_FILE',
} as const;

const secretArn = z
  .string()
  .regex(/^arn:[^:]+:secretsmanager:[^:]+:\d{12}:secret:.+$/, 'a Secrets Manager secret ARN');

/** One role to set up, as the deploy declares it (see apps/infra pre-deploy-tasks.ts). */
export const roleEntry = z.strictObject({
  role: z.string().min(1),
  secretArn,
  grants: z.enum(['cdc-source', 'database-owner']),
  database: z.string().min(1).optional(),
});
export type RoleEntry = z.infer<typeof roleEntry>;

const envSchema = z.object({
  [SETUP_ENV.host]: z.string().min(1),
  [SETUP_ENV.port]: z.coerce.number().int().min(1).max(65535).default(5432),
  [SETUP_ENV.adminSecretArn]: secretArn,
  [SETUP_ENV.roles]: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not JSON' });
        return z.NEVER;
      }
    })
    .pipe(z.array(roleEntry).min(1)),
  [SETUP_ENV.caFile]: z.string().min(1),
});

export interface SetupConfig {
  readonly host: string;
  readonly port: number;
  readonly adminSecretArn: string;
  readonly roles: readonly RoleEntry[];
  /** The CA bundle the server certificate must chain to (the RDS bundle, baked into the image). */
  readonly caFile: string;
  readonly replication: 'attribute' | 'rds_replication';
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses `apply [--replication ...]` and the environment. Pure. */
export function parseConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  write: (s: string) => void = () => undefined,
): SetupConfig | 'help' {
  let replication: SetupConfig['replication'] | undefined;
  const program = new Command('source-setup')
    .description(
      "lakewall source setup: the source PostgreSQL's roles (current passwords from Secrets Manager), databases, DDL and grants from the platform model; idempotent",
    )
    .exitOverride()
    .configureOutput({ writeOut: write, writeErr: write, outputError: () => undefined });
  program
    .command('apply')
    .description('bring the roles and the source database to the model (safe to re-run)')
    .addOption(
      new Option('--replication <how>', 'how the CDC role gets replication')
        .choices(['rds_replication', 'attribute'])
        .default('rds_replication'),
    )
    .action((o: { replication: SetupConfig['replication'] }) => {
      replication = o.replication;
    });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError && e.exitCode === 0) return 'help';
    throw new ConfigError((e as Error).message);
  }
  if (!replication)
    throw new ConfigError('usage: source-setup apply [--replication rds_replication|attribute]');
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    // Issues name the variable and the rule; values (ARNs, hosts) are not secrets but are left out.
    throw new ConfigError(
      `environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const e = parsed.data;
  const names = e[SETUP_ENV.roles].map((r) => r.role);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new ConfigError(`environment: ${SETUP_ENV.roles}: role '${twice}' is listed twice`);
  return {
    host: e[SETUP_ENV.host],
    port: e[SETUP_ENV.port],
    adminSecretArn: e[SETUP_ENV.adminSecretArn],
    roles: e[SETUP_ENV.roles],
    caFile: e[SETUP_ENV.caFile],
    replication,
  };
}

/** A secret as RDS and the stacks write them: {"username": ..., "password": ...}. */
export const credentialsSecret = z.object({ username: z.string().min(1), password: z.string().min(1) });
