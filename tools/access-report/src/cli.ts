import { Command, CommanderError, Option } from 'commander';
import { resolve } from 'node:path';
import { DEFAULT_CDK_OUT, REPO_ROOT } from './synthesize';

export const CLOUD_ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;

/** The reviewed list of expected access, kept beside the infrastructure it describes. */
export const DEFAULT_EXPECTED = resolve(REPO_ROOT, 'apps/infra/expected-access.yaml');

export interface ReportCommand {
  readonly verb: 'report';
  readonly env: (typeof CLOUD_ENVIRONMENTS)[number];
  readonly cdkOut: string;
  readonly json: boolean;
  readonly expected: string;
  readonly modelPath?: string;
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

/** `access report --env dev|staging|prod [--cdk-out DIR] [--json]`. */
export function parseCli(argv: readonly string[], write: (s: string) => void): ReportCommand {
  let parsed: ReportCommand | undefined;
  const program = new Command('access')
    .description('Who can reach MNPI: the AWS and Kafka access matrix of one environment, as a gate')
    .exitOverride()
    .configureOutput({ writeOut: write, writeErr: write });
  program
    .command('report')
    .description(
      "evaluate the synthesized templates of an environment offline (no AWS credentials) and the model's Kafka ACLs; " +
        'exit 0 pass, 3 stale expected-access entries, 4 a path into MNPI that is neither expected nor acknowledged',
    )
    .addOption(new Option('--env <env>', 'environment').choices(CLOUD_ENVIRONMENTS).makeOptionMandatory())
    .option('--cdk-out <dir>', 'synthesized cloud assembly (synthesized first when absent)', DEFAULT_CDK_OUT)
    .option('--json', 'print the full matrix as JSON', false)
    .option('--expected <file>', 'the expected-access list', DEFAULT_EXPECTED)
    .option('--model <file>', 'the platform model (default: LAKEWALL_MODEL or platform/platform.yaml)')
    .action(
      (opts: {
        env: ReportCommand['env'];
        cdkOut: string;
        json: boolean;
        expected: string;
        model?: string;
      }) => {
        parsed = {
          verb: 'report',
          env: opts.env,
          cdkOut: resolve(opts.cdkOut),
          json: opts.json,
          expected: resolve(opts.expected),
          modelPath: opts.model,
        };
      },
    );
  try {
    program.parse([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) throw new UsageError('', err.exitCode === 0 ? 0 : 2);
    throw err;
  }
  if (!parsed) throw new UsageError('a command is required: report');
  return parsed;
}
