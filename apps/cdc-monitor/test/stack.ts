/**
 * Integration-test helpers against the local stack's running monitor component: its endpoints and
 * pid, metrics, producing to the public topics, applying the model's topics and ACLs.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { localStackKafkaConfig, localStackStatePath, findRepoRoot } from '@lakewall/kafka-connection';
import { cdcSourcePrincipal, loadPlatformModel } from '@lakewall/platform-model';
import { applyModel } from '@lakewall/topic-admin';
import { ConnectRestClient } from '@lakewall/connect-rest';
import { readConfig } from '../src/config';
import { connectClientFor } from '../src/connections';

export const model = loadPlatformModel();
export const config = readConfig({ env: 'local' }, process.env);
export const monitorUrl = `http://127.0.0.1:${config.port}`;
export const stateDir = localStackStatePath();

export function connectClient(): ConnectRestClient {
  return connectClientFor(config)!;
}

/** Polls `fn` until it returns a value other than undefined; fails with `what` after `timeoutMs`. */
export async function pollUntil<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e;
    }
    await sleep(250);
  }
  throw new Error(
    `timed out after ${timeoutMs / 1000}s waiting for ${what}${lastError ? ` (${(lastError as Error).message})` : ''}`,
  );
}

export async function scrape(): Promise<string> {
  const res = await fetch(`${monitorUrl}/metrics`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`GET /metrics -> ${res.status}`);
  return res.text();
}

/** Sum of every series of `name` whose labels include `labels`. */
export function metric(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries(
      [...(m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[4]);
  }
  return sum;
}

export async function metricNow(name: string, labels: Record<string, string> = {}): Promise<number> {
  return metric(await scrape(), name, labels);
}

/** Waits until the monitor is ready (in its group, lag collected). */
export async function monitorReady(timeoutMs = 90_000): Promise<void> {
  await pollUntil(
    'the monitor /readyz',
    async () =>
      (await fetch(`${monitorUrl}/readyz`, { signal: AbortSignal.timeout(3000) })).ok ? true : undefined,
    timeoutMs,
  );
}

export async function applyModelTopics(): Promise<void> {
  await applyModel({ model, env: 'local', kafka: localStackKafkaConfig('admin') });
}

const quiet = <T extends object>(c: T) => ({ ...c, logLevel: logLevel.NOTHING });

export async function withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka(quiet(localStackKafkaConfig('admin'))).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Produces as the model's CDC producer (the principal Debezium writes as): gzip, kafkajs has no zstd encoder. */
export async function withProducer<T>(fn: (p: Producer) => Promise<T>): Promise<T> {
  const principal = cdcSourcePrincipal(model, 'local')!;
  const producer = new Kafka(quiet(localStackKafkaConfig(principal))).producer({
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    return await fn(producer);
  } finally {
    await producer.disconnect();
  }
}

/** The monitor component's pid, from the stack's pid record. */
export function monitorPid(): number {
  const rec = JSON.parse(fs.readFileSync(path.join(stateDir, 'monitor', 'monitor.pid.json'), 'utf8')) as {
    pid: number;
  };
  return rec.pid;
}

/** `npm run stack -- up`: starts (or converges) the monitor component again. */
export async function stackUp(): Promise<void> {
  const root = findRepoRoot(__dirname)!;
  await new Promise<void>((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', 'stack', '--', 'up'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`stack up exited ${code}: ${err.slice(-2000)}`)),
    );
  });
}
