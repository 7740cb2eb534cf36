// Test helper (see ./index.ts): not for the collector's non-test code.
/**
 * Kafka's own consumer-group tool (kafka-consumer-groups.sh's class) from the local stack's Kafka
 * install, as the reference the collector's figures are compared with.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { localKafkaPort, readLocalStackCredentials } from '@lakewall/kafka-connection';
import { loadPlatformModel } from '@lakewall/platform-model';

function cacheDir(): string {
  if (process.env.LAKEWALL_CACHE_DIR) return process.env.LAKEWALL_CACHE_DIR;
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'lakewall');
}

/** The libs directory of the stack's Kafka install (the model's Kafka version). */
export function kafkaLibs(): string {
  const version = loadPlatformModel().kafka.version;
  const dirs = fs
    .readdirSync(cacheDir())
    .filter(
      (d) =>
        d.startsWith(`kafka-${version}-`) &&
        fs.existsSync(path.join(cacheDir(), d, 'libs', `kafka-tools-${version}.jar`)),
    )
    .map((d) => path.join(cacheDir(), d, 'libs'));
  if (dirs.length === 0)
    throw new Error(`no Kafka ${version} install under ${cacheDir()}: run 'npm run stack -- up'`);
  return dirs.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0]!;
}

function java(): string {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

export interface ToolRow {
  readonly topic: string;
  readonly partition: number;
  readonly current: number | undefined;
  readonly logEnd: number;
  readonly lag: number | undefined;
}

/** `kafka-consumer-groups --describe --group <group>` as the broker's admin, parsed. */
export function describeGroup(group: string): ToolRow[] {
  const password = readLocalStackCredentials()!.kafka.admin!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lag-it-'));
  const props = path.join(dir, 'admin.properties');
  fs.writeFileSync(
    props,
    [
      'security.protocol=SASL_PLAINTEXT',
      'sasl.mechanism=SCRAM-SHA-512',
      `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${password}";`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  try {
    const out = execFileSync(
      java(),
      [
        '-cp',
        `${kafkaLibs()}/*`,
        'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
        '--bootstrap-server',
        `127.0.0.1:${localKafkaPort()}`,
        '--command-config',
        props,
        '--describe',
        '--group',
        group,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const num = (s: string | undefined) => (s === undefined || s === '-' ? undefined : Number(s));
    return out
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((cols) => cols[0] === group)
      .map((cols) => ({
        topic: cols[1]!,
        partition: Number(cols[2]),
        current: num(cols[3]),
        logEnd: Number(cols[4]),
        lag: num(cols[5]),
      }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
