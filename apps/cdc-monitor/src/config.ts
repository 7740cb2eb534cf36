/**
 * The monitor's configuration: read once at start from flags and LAKEWALL_* variables, validated
 * with zod, and frozen. Nothing else in the service reads process.env.
 */
import { z } from 'zod';
import { EnvName } from '@lakewall/platform-model';
import { LOCAL_STACK_HOST, localStackStatePath } from '@lakewall/kafka-connection';

export const MONITOR_PORT_ENV = 'LAKEWALL_MONITOR_PORT';
export const MONITOR_PORT_DEFAULT = 19400;

const port = z.coerce.number().int().min(1).max(65535);
const ms = (min: number) => z.coerce.number().int().min(min);
const regexList = z.string().transform((s, ctx) => {
  const out: RegExp[] = [];
  for (const p of s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    try {
      out.push(new RegExp(`^(?:${p})$`));
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${p}" is not a valid regular expression` });
    }
  }
  return out;
});

/** The raw settings, as variables name them (flags override the variables they mirror). */
const Settings = z.object({
  LAKEWALL_ENV: EnvName,
  [MONITOR_PORT_ENV]: port.default(MONITOR_PORT_DEFAULT),
  LAKEWALL_MONITOR_HOST: z.string().min(1).default('127.0.0.1'),
  /** Confluent-compatible registry base URL (Apicurio: <registry>/apis/ccompat/v7). */
  LAKEWALL_REGISTRY_URL: z.url().optional(),
  LAKEWALL_CONNECT_URL: z.url().optional(),
  LAKEWALL_CONNECT_USERNAME: z.string().min(1).optional(),
  LAKEWALL_CONNECT_PASSWORD: z.string().min(1).optional(),
  /** Lag collection period. */
  LAKEWALL_MONITOR_LAG_INTERVAL_MS: ms(500).default(5000),
  /** Cluster metadata period (undeclared topics, missing checked topics). */
  LAKEWALL_MONITOR_METADATA_INTERVAL_MS: ms(500).default(10_000),
  /** Comma-separated regular expressions: further consumer groups to export lag for. */
  LAKEWALL_MONITOR_GROUP_PATTERNS: regexList.default([]),
  /** Local environment only: where the local stack's registry and Connect listen. */
  LAKEWALL_REGISTRY_PORT: port.default(18081),
  LAKEWALL_CONNECT_PORT: port.default(18083),
  LAKEWALL_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface MonitorConfig {
  readonly env: z.infer<typeof EnvName>;
  readonly port: number;
  readonly host: string;
  readonly registryUrl?: string;
  readonly connectUrl?: string;
  readonly connectAuth?: { readonly username: string; readonly password: string };
  readonly lagIntervalMs: number;
  readonly metadataIntervalMs: number;
  readonly groupPatterns: readonly RegExp[];
  readonly logLevel: string;
  /** Local environment only: the local stack's state directory (credentials.json). */
  readonly localStateDir?: string;
  /** The variables the Kafka connection is resolved from (LAKEWALL_KAFKA_*), captured at start. */
  readonly connectionEnv: Readonly<Record<string, string | undefined>>;
}

export interface ConfigFlags {
  readonly env?: string;
  readonly port?: string | number;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Validates flags + environment into the config; every problem is named in one error. */
export function readConfig(
  flags: ConfigFlags,
  env: Readonly<Record<string, string | undefined>>,
): MonitorConfig {
  const raw = Object.fromEntries(
    Object.keys(Settings.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  ) as Record<string, unknown>;
  if (flags.env !== undefined) raw.LAKEWALL_ENV = flags.env;
  if (flags.port !== undefined) raw[MONITOR_PORT_ENV] = flags.port;
  const parsed = Settings.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      const where =
        key === 'LAKEWALL_ENV' ? '--env / LAKEWALL_ENV' : key === MONITOR_PORT_ENV ? `--port / ${key}` : key;
      return `${where}: ${i.message}`;
    });
    throw new ConfigError(`invalid monitor configuration:\n  ${problems.join('\n  ')}`);
  }
  const s = parsed.data;
  if (!!s.LAKEWALL_CONNECT_USERNAME !== !!s.LAKEWALL_CONNECT_PASSWORD)
    throw new ConfigError('LAKEWALL_CONNECT_USERNAME and LAKEWALL_CONNECT_PASSWORD go together');
  const local = s.LAKEWALL_ENV === 'local';
  return Object.freeze({
    env: s.LAKEWALL_ENV,
    port: s[MONITOR_PORT_ENV],
    host: s.LAKEWALL_MONITOR_HOST,
    registryUrl:
      s.LAKEWALL_REGISTRY_URL ??
      (local ? `http://${LOCAL_STACK_HOST}:${s.LAKEWALL_REGISTRY_PORT}/apis/ccompat/v7` : undefined),
    connectUrl:
      s.LAKEWALL_CONNECT_URL ?? (local ? `http://${LOCAL_STACK_HOST}:${s.LAKEWALL_CONNECT_PORT}` : undefined),
    connectAuth:
      s.LAKEWALL_CONNECT_USERNAME && s.LAKEWALL_CONNECT_PASSWORD
        ? { username: s.LAKEWALL_CONNECT_USERNAME, password: s.LAKEWALL_CONNECT_PASSWORD }
        : undefined,
    lagIntervalMs: s.LAKEWALL_MONITOR_LAG_INTERVAL_MS,
    metadataIntervalMs: s.LAKEWALL_MONITOR_METADATA_INTERVAL_MS,
    groupPatterns: s.LAKEWALL_MONITOR_GROUP_PATTERNS,
    logLevel: s.LAKEWALL_LOG_LEVEL,
    localStateDir: local ? localStackStatePath(env) : undefined,
    connectionEnv: Object.freeze(
      Object.fromEntries(
        Object.entries(env).filter(([k]) => k.startsWith('LAKEWALL_KAFKA_') || k.startsWith('AWS_')),
      ),
    ),
  });
}
