/**
 * The one place the local stack asks for the model's topics and ACLs to be applied: it runs the
 * topic bootstrapper's own CLI (`apply --env local --json`), exactly as an operator would, as the
 * broker's `admin` super user. Running the CLI rather than importing its engine keeps the stack
 * free of a dependency on the libraries whose integration tests the stack serves.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from './paths';

/** Thrown when the model's topics and ACLs could not be applied; the message says what was not done. */
export class TopicBootstrapError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TopicBootstrapError';
  }
}

/** The fields of the bootstrapper's --json envelope this module reads. */
interface ApplyEnvelope {
  readonly exitCode: number;
  readonly status: string;
  readonly violations?: readonly { kind: string; message: string }[];
  readonly apply?: {
    outcome: string;
    steps: readonly { status: string; operation: string; target: string; error?: string }[];
  };
  readonly error?: { message: string };
}

/** What an apply did, or a TopicBootstrapError saying what it did not do. Pure. */
export function interpretApply(stdout: string, stderr: string, code: number | null): string {
  let env: ApplyEnvelope;
  try {
    env = JSON.parse(stdout) as ApplyEnvelope;
  } catch {
    throw new TopicBootstrapError(
      `the topic bootstrapper exited ${code} without a JSON report:\n${stderr.trim().split('\n').slice(-15).join('\n')}`,
    );
  }
  const steps = env.apply?.steps ?? [];
  if (env.exitCode === 0)
    return `topics and ACLs applied: ${env.apply?.outcome ?? env.status} (${steps.length} change(s))`;
  const details = [
    ...(env.violations ?? []).map((v) => `  POLICY VIOLATION [${v.kind}]: ${v.message}`),
    ...steps
      .filter((s) => s.status !== 'done')
      .map((s) => `  ${s.status} ${s.operation} ${s.target}: ${s.error ?? ''}`),
    ...(env.error ? [`  ${env.error.message}`] : []),
  ];
  throw new TopicBootstrapError(
    `applying the platform model's topics and ACLs to the local Kafka failed (exit ${env.exitCode}, ${env.status}${env.apply ? `, ${env.apply.outcome}` : ''}):\n${details.slice(0, 30).join('\n')}`,
  );
}

export interface ApplyTopicsOptions {
  /** Environment for the CLI (state dir and ports of the stack). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Also revoke ACLs that break the MNPI policy and delete undeclared ones. @default false */
  readonly allowDelete?: boolean;
}

export async function applyTopicsAndAcls(
  log: (m: string) => void,
  opts: ApplyTopicsOptions = {},
): Promise<void> {
  const root = repoRoot();
  const args = [
    path.join(root, 'node_modules/tsx/dist/cli.mjs'),
    path.join(root, 'apps/topic-bootstrapper/src/main.ts'),
    'apply',
    '--env',
    'local',
    '--json',
    ...(opts.allowDelete ? ['--allow-delete'] : []),
  ];
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, args, {
        cwd: root,
        env: { ...(opts.env ?? process.env), LAKEWALL_ENV: 'local' },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', (c) => resolve({ stdout: out, stderr: err, code: c }));
    },
  );
  log(interpretApply(stdout, stderr, code));
}
