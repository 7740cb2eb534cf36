import { Command, CommanderError, Option } from 'commander';
import { ENVIRONMENTS, type EnvName } from '@lakewall/platform-model';
import {
  addConnectionFlags,
  connectionFromFlags,
  type ConnectionFlags,
  type ConnectionOptions,
} from '@lakewall/kafka-connection';

export type Verb = 'plan' | 'apply' | 'verify';

export interface CliCommand {
  readonly verb: Verb;
  readonly env: EnvName;
  readonly json: boolean;
  readonly allowDelete: boolean;
  readonly verbose: boolean;
  /** Path of the platform model; the repository's platform/platform.yaml when omitted. */
  readonly modelPath?: string;
  readonly connection: ConnectionOptions;
  /** First-contact deadline with the brokers, ms. */
  readonly connectTimeoutMs: number;
  /**
   * apply only: a break-glass identity that creates the bootstrapper's own ACLs on a cluster that
   * has none yet.
   */
  readonly breakGlass?: BreakGlass;
}

/**
 * The break-glass identity: a SCRAM user (locally the stack's super user; same brokers and TLS
 * settings unless `brokers` is given; password only from LAKEWALL_BREAK_GLASS_PASSWORD or a secret),
 * or on MSK an IAM role on the cluster's IAM listener (MSK has no SCRAM super user: IAM policy, not
 * ACLs, authorizes IAM clients). `whenNeeded` makes an apply whose bootstrapper already holds its
 * ACLs skip the break glass instead of refusing it, for the deploy-time run on every deploy.
 */
export type BreakGlass =
  | (Pick<ConnectionOptions, 'username' | 'password' | 'secretArn'> & {
      readonly kind: 'scram';
      readonly brokers?: string;
      readonly whenNeeded: boolean;
    })
  | {
      readonly kind: 'msk-iam';
      readonly roleArn: string;
      readonly brokers: string;
      readonly whenNeeded: boolean;
    };

export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;

/** Thrown for bad usage; `exitCode` 0 means help/version was printed. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

interface RawOptions extends ConnectionFlags {
  env: string;
  json?: boolean;
  allowDelete?: boolean;
  verbose?: boolean;
  model?: string;
  breakGlassUsername?: string;
  breakGlassSecretArn?: string;
  breakGlassIamRoleArn?: string;
  breakGlassBrokers?: string;
  breakGlassWhenNeeded?: boolean;
}

const DESCRIPTIONS: Record<Verb, string> = {
  plan: 'show what apply would change (exit 0 in sync, 2 changes pending, 4 MNPI policy violation, 1 error)',
  apply: 'make the cluster match the model (idempotent; never deletes without --allow-delete)',
  verify:
    'check the live cluster: MNPI policy on every ACL (exit 4) and drift under the managed prefix (exit 3)',
};

/**
 * Parses `plan | apply | verify` and its options. Pure: nothing is printed except by commander for
 * --help, whose output goes to `write`.
 */
export function parseCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
  write: (s: string) => void = (s) => process.stdout.write(s),
): CliCommand {
  let parsed: CliCommand | undefined;
  const program = new Command('topics')
    .description(
      'lakewall topic bootstrapper: Kafka topics and ACLs from the platform model, with the MNPI policy enforced',
    )
    .exitOverride()
    .configureOutput({ writeOut: write, writeErr: write, outputError: () => undefined })
    .showSuggestionAfterError(true);

  for (const verb of ['plan', 'apply', 'verify'] as const) {
    const cmd = program
      .command(verb)
      .description(DESCRIPTIONS[verb])
      .addOption(
        new Option('--env <env>', 'environment')
          .choices([...ENVIRONMENTS])
          .default(env.LAKEWALL_ENV ?? 'local'),
      )
      .option('--json', 'machine-readable output on stdout', false)
      .option('--verbose', 'also list unchanged topics and ACLs', false)
      .option('--model <file>', 'platform model file (default: platform/platform.yaml, or LAKEWALL_MODEL)');
    addConnectionFlags(cmd, {
      timeoutHelpSuffix: ` (or LAKEWALL_KAFKA_CONNECT_TIMEOUT_MS; default ${DEFAULT_CONNECT_TIMEOUT_MS})`,
    })
      .exitOverride()
      .configureOutput({ writeOut: write, writeErr: write, outputError: () => undefined });
    if (verb === 'apply')
      cmd
        .option(
          '--break-glass-username <name>',
          "first run on a new cluster only: the identity that creates the bootstrapper's own ACLs (or LAKEWALL_BREAK_GLASS_USERNAME; password from LAKEWALL_BREAK_GLASS_PASSWORD)",
        )
        .option(
          '--break-glass-secret-arn <arn>',
          'first run on a new cluster only: Secrets Manager secret of that identity (or LAKEWALL_BREAK_GLASS_SECRET_ARN)',
        )
        .option(
          '--break-glass-iam-role-arn <arn>',
          'first run on a new MSK cluster only: an IAM role allowed to create ACLs, used over MSK IAM auth (or LAKEWALL_BREAK_GLASS_IAM_ROLE_ARN; needs --break-glass-brokers)',
        )
        .option(
          '--break-glass-brokers <list>',
          "the break-glass identity's brokers, e.g. MSK's IAM listener (or LAKEWALL_BREAK_GLASS_BROKERS; default: the bootstrapper's)",
        )
        .option(
          '--break-glass-when-needed',
          'use the break glass only if the bootstrapper holds no ACLs yet, and skip it otherwise instead of refusing (or LAKEWALL_BREAK_GLASS_WHEN_NEEDED=true; for the run on every deploy)',
        );
    cmd.option(
      '--allow-delete',
      'delete topics and ACLs under the managed prefix that the model no longer declares',
      false,
    );
    cmd.action((o: RawOptions) => {
      // commander does not check a default against .choices(): LAKEWALL_ENV is checked here.
      if (!(ENVIRONMENTS as readonly string[]).includes(o.env))
        throw new UsageError(
          `unknown environment '${o.env}'${o.env === env.LAKEWALL_ENV ? ' (from LAKEWALL_ENV)' : ''}: use one of ${ENVIRONMENTS.join(', ')}`,
          1,
        );
      parsed = {
        connectTimeoutMs: parseTimeout(o.connectTimeout ?? env.LAKEWALL_KAFKA_CONNECT_TIMEOUT_MS),
        verb,
        env: o.env as EnvName,
        json: o.json ?? false,
        allowDelete: o.allowDelete ?? false,
        verbose: o.verbose ?? false,
        modelPath: o.model,
        breakGlass: breakGlassOf(o, env),
        connection: connectionFromFlags(o),
      };
    });
  }

  try {
    program.parse([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      const helpShown =
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help';
      throw new UsageError(helpShown ? '' : err.message.replace(/^error: /, ''), helpShown ? 0 : 1);
    }
    throw err;
  }
  if (!parsed) throw new UsageError('missing command: use one of plan, apply, verify (see --help)', 1);
  return parsed;
}

function parseTimeout(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_CONNECT_TIMEOUT_MS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 100 || n > 600_000)
    throw new UsageError(
      `--connect-timeout / LAKEWALL_KAFKA_CONNECT_TIMEOUT_MS=${raw} must be a whole number of milliseconds from 100 to 600000`,
      1,
    );
  return n;
}

/** The break-glass identity, when one is given by flag or environment; its password only by environment. */
function breakGlassOf(
  o: RawOptions,
  env: Readonly<Record<string, string | undefined>>,
): CliCommand['breakGlass'] {
  const username = o.breakGlassUsername ?? env.LAKEWALL_BREAK_GLASS_USERNAME;
  const secretArn = o.breakGlassSecretArn ?? env.LAKEWALL_BREAK_GLASS_SECRET_ARN;
  const password = env.LAKEWALL_BREAK_GLASS_PASSWORD;
  const roleArn = o.breakGlassIamRoleArn ?? env.LAKEWALL_BREAK_GLASS_IAM_ROLE_ARN;
  const brokers = o.breakGlassBrokers ?? (env.LAKEWALL_BREAK_GLASS_BROKERS || undefined);
  const whenNeeded =
    o.breakGlassWhenNeeded ??
    ['1', 'true', 'yes'].includes((env.LAKEWALL_BREAK_GLASS_WHEN_NEEDED ?? '').toLowerCase());
  const scram = Boolean(username || secretArn || password);
  if (roleArn) {
    if (scram)
      throw new UsageError(
        'one break-glass identity: an IAM role (--break-glass-iam-role-arn) or a SCRAM user (--break-glass-username / --break-glass-secret-arn), not both',
        1,
      );
    if (!brokers)
      throw new UsageError(
        "--break-glass-iam-role-arn needs --break-glass-brokers (or LAKEWALL_BREAK_GLASS_BROKERS): MSK's IAM listener, port 9098",
        1,
      );
    return { kind: 'msk-iam', roleArn, brokers, whenNeeded };
  }
  if (!scram) {
    if (whenNeeded || brokers)
      throw new UsageError(
        `${whenNeeded ? '--break-glass-when-needed' : '--break-glass-brokers'} needs a break-glass identity (--break-glass-iam-role-arn, --break-glass-username or --break-glass-secret-arn)`,
        1,
      );
    return undefined;
  }
  if (!secretArn && (!username || !password))
    throw new UsageError(
      'break glass needs a username and LAKEWALL_BREAK_GLASS_PASSWORD, or --break-glass-secret-arn',
      1,
    );
  return { kind: 'scram', username, password, secretArn, brokers, whenNeeded };
}
