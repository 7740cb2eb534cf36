import { PlatformModelError } from '@lakewall/platform-model';
import {
  ClusterLockHeldError,
  ClusterMismatchError,
  KafkaAccessError,
  type ApplyReport,
  type DriftItem,
  type Plan,
  type PolicyViolation,
} from '@lakewall/topic-admin';
import { ConnectionConfigError } from '@lakewall/kafka-connection';
import { EXIT } from './render';

/**
 * The one JSON shape every command prints with --json, described by
 * apps/topic-bootstrapper/schema/output.schema.json. Bump SCHEMA_VERSION on any breaking change.
 */
export const SCHEMA_VERSION = 1;

export type Status = 'in-sync' | 'changes-pending' | 'drift' | 'policy-violation' | 'error';

const STATUS: Record<number, Status> = {
  [EXIT.OK]: 'in-sync',
  [EXIT.ERROR]: 'error',
  [EXIT.CHANGES]: 'changes-pending',
  [EXIT.DRIFT]: 'drift',
  [EXIT.POLICY]: 'policy-violation',
};

export interface ErrorDetail {
  readonly kind: 'model' | 'connection' | 'cluster-mismatch' | 'cluster-lock' | 'kafka' | 'internal';
  readonly message: string;
  /** For model errors: every problem, located. */
  readonly issues?: readonly {
    file: string;
    line?: number;
    column?: number;
    path: string;
    message: string;
  }[];
}

export interface Envelope {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly command: 'plan' | 'apply' | 'verify';
  readonly env: string;
  readonly exitCode: number;
  readonly status: Status;
  readonly violations: readonly PolicyViolation[];
  readonly drift: readonly DriftItem[];
  readonly plan?: Plan;
  readonly apply?: Omit<ApplyReport, 'plan' | 'revocation'> & {
    readonly revocation: Omit<ApplyReport['revocation'], 'violations'> & { violations?: undefined };
  };
  readonly error?: ErrorDetail;
}

type EnvelopeInput = Omit<Envelope, 'schemaVersion' | 'status' | 'violations' | 'drift'> &
  Partial<Pick<Envelope, 'violations' | 'drift'>>;

export function envelope(e: EnvelopeInput): Envelope {
  return JSON.parse(
    JSON.stringify({
      schemaVersion: SCHEMA_VERSION,
      status: STATUS[e.exitCode] ?? 'error',
      violations: [],
      drift: [],
      ...e,
    }),
  ) as Envelope;
}

function errorDetail(err: unknown): ErrorDetail {
  if (err instanceof PlatformModelError)
    return {
      kind: 'model',
      message: err.message.split('\n')[0],
      issues: err.issues.map((i) => ({
        file: i.file,
        line: i.line,
        column: i.column,
        path: i.path.map(String).join('.'),
        message: i.message,
      })),
    };
  if (err instanceof ClusterMismatchError) return { kind: 'cluster-mismatch', message: err.message };
  if (err instanceof ClusterLockHeldError) return { kind: 'cluster-lock', message: err.message };
  if (err instanceof ConnectionConfigError) return { kind: 'connection', message: err.message };
  if (err instanceof KafkaAccessError) return { kind: 'kafka', message: err.message };
  return { kind: 'internal', message: (err as Error)?.message ?? String(err) };
}

export function errorEnvelope(command: Envelope['command'], env: string, err: unknown): Envelope {
  return envelope({ command, env, exitCode: EXIT.ERROR, error: errorDetail(err) });
}
