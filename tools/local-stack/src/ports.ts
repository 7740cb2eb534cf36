import { LOCAL_KAFKA_PORT_DEFAULT, LOCAL_KAFKA_PORT_ENV, LOCAL_STACK_HOST } from '@lakewall/kafka-connection';
import type { Env } from './paths';

export const COMPONENTS = [
  'postgres',
  'catalog',
  's3',
  'kafka',
  'connect',
  'registry',
  'prometheus',
  'alertmanager',
  'monitor',
  'admin-api',
] as const;
export type Component = (typeof COMPONENTS)[number];

export interface Ports {
  postgres: number;
  kafka: number;
  kafkaController: number;
  connect: number;
  registry: number;
  registryManagement: number;
  prometheus: number;
  alertmanager: number;
  /** The CDC routing monitor's /metrics, /healthz and /readyz. */
  monitor: number;
  adminApi: number;
  s3: number;
}

/** Defaults sit outside the usual ranges so a developer's own services do not clash. */
export const DEFAULT_PORTS: Ports = {
  postgres: 15432,
  kafka: LOCAL_KAFKA_PORT_DEFAULT,
  kafkaController: 19093,
  connect: 18083,
  registry: 18081,
  registryManagement: 18082,
  prometheus: 19090,
  alertmanager: 19094,
  monitor: 19400,
  adminApi: 19500,
  s3: 19000,
};

const ENV_NAMES: Record<keyof Ports, string> = {
  postgres: 'LAKEWALL_PG_PORT',
  kafka: LOCAL_KAFKA_PORT_ENV,
  kafkaController: 'LAKEWALL_KAFKA_CONTROLLER_PORT',
  connect: 'LAKEWALL_CONNECT_PORT',
  registry: 'LAKEWALL_REGISTRY_PORT',
  registryManagement: 'LAKEWALL_REGISTRY_MANAGEMENT_PORT',
  prometheus: 'LAKEWALL_PROMETHEUS_PORT',
  alertmanager: 'LAKEWALL_ALERTMANAGER_PORT',
  monitor: 'LAKEWALL_MONITOR_PORT',
  adminApi: 'LAKEWALL_ADMIN_API_PORT',
  s3: 'LAKEWALL_S3_PORT',
};

export function resolvePorts(env: Env = process.env): Ports {
  const out = { ...DEFAULT_PORTS };
  for (const key of Object.keys(ENV_NAMES) as (keyof Ports)[]) {
    const raw = env[ENV_NAMES[key]];
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 65535) {
      throw new Error(`${ENV_NAMES[key]}=${raw} is not a valid TCP port`);
    }
    out[key] = n;
  }
  const seen = new Map<number, string>();
  for (const [k, v] of Object.entries(out)) {
    const other = seen.get(v);
    if (other) throw new Error(`port ${v} is configured for both ${other} and ${k}`);
    seen.set(v, k);
  }
  return out;
}

export const HOST = LOCAL_STACK_HOST;
