import { Command, CommanderError, Option } from 'commander';
import { resolve } from 'node:path';
import {
  addConnectionFlags,
  connectionFromFlags,
  givenConnectionFlags,
  type ConnectionFlags,
  type ConnectionOptions,
} from '@lakewall/kafka-connection';
import { DEFAULT_CDK_OUT, REPO_ROOT } from './synthesize';

export const CLOUD_ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
/** `local` is the local stack: no AWS account, so its report is the Kafka plane alone. */
export const REPORT_ENVIRONMENTS = ['local', ...CLOUD_ENVIRONMENTS] as const;

/** The reviewed list of expected access, kept beside the infrastructure it describes. */
export const DEFAULT_EXPECTED = resolve(REPO_ROOT, 'apps/infra/expected-access.yaml');

export interface ReportCommand {
  readonly verb: 'report';
  readonly env: (typeof REPORT_ENVIRONMENTS)[number];
  readonly cdkOut: string;
  readonly json: boolean;
  readonly expected: string;
  readonly modelPath?: string;
  /** Read the Kafka plane's ACLs from the running cluster (this connection) instead of the model. */
  readonly live?: { readonly connection: ConnectionOptions; readonly connectTimeoutMs?: number };
}

interface RawOptions extends ConnectionFlags {
  env: ReportCommand['env'];
  cdkOut: string;
  json: boolean;
  expected: string;
  model?: string;
  live?: boolean;
}

export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `access report --env local|dev|staging|prod [--cdk-out DIR] [--json] [--live [connection]]`. */
export function parseCli(argv: readonly string[], write: (s: string) => void): ReportCommand {
  let parsed: ReportCommand | undefined;
  const program = new Command('access')
    .description('Who can reach MNPI: the AWS and Kafka access matrix of one environment, as a gate')
    .exitOverride()
    .configureOutput({ writeOut: write, writeErr: write });
  const report = program
    .command('report')
    .description(
      "evaluate the synthesized templates of an environment offline (no AWS credentials) and the model's Kafka ACLs " +
        "(or, with --live, the running cluster's); local is the local stack (Kafka plane only); " +
        'exit 0 pass, 3 stale expected-access entries, 4 a path into MNPI that is neither expected nor acknowledged',
    )
    .addOption(new Option('--env <env>', 'environment').choices(REPORT_ENVIRONMENTS).makeOptionMandatory())
    .option('--cdk-out <dir>', 'synthesized cloud assembly (synthesized first when absent)', DEFAULT_CDK_OUT)
    .option('--json', 'print the full matrix as JSON', false)
    .option('--expected <file>', 'the expected-access list', DEFAULT_EXPECTED)
    .option('--model <file>', 'the platform model (default: LAKEWALL_MODEL or platform/platform.yaml)')
    .option(
      '--live',
      "read the Kafka ACLs from the running cluster (needs DESCRIBE on the cluster; locally the stack's admin)",
      false,
    );
  addConnectionFlags(report, { helpPrefix: 'with --live: ' });
  report.action((opts: RawOptions) => {
    const connection = connectionFromFlags(opts);
    const given = givenConnectionFlags(opts);
    if (!opts.live && given.length > 0)
      throw new UsageError(`${given[0]} is a connection option: it needs --live`);
    const timeout = opts.connectTimeout === undefined ? undefined : Number(opts.connectTimeout);
    if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0))
      throw new UsageError('--connect-timeout must be a positive number of milliseconds');
    parsed = {
      verb: 'report',
      env: opts.env,
      cdkOut: resolve(opts.cdkOut),
      json: opts.json,
      expected: resolve(opts.expected),
      modelPath: opts.model,
      ...(opts.live ? { live: { connection, connectTimeoutMs: timeout } } : {}),
    };
  });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) throw new UsageError('', err.exitCode === 0 ? 0 : 2);
    throw err;
  }
  if (!parsed) throw new UsageError('a command is required: report');
  return parsed;
}
