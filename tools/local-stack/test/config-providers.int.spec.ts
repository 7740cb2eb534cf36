/**
 * lakewall's Secrets Manager config provider, for real: the plugin the connect-plugins zips carry
 * (built by the same function), against moto's Secrets Manager-compatible server on loopback, with
 * connector config values resolved by Kafka's own ConfigTransformer (the class a Connect worker
 * resolves `${provider:path:key}` with) in a small Java harness. Needs no local stack: run by
 * `connect-plugins:integration`, not by local-stack's stack-backed integration target.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadPlatformModel, SECRETS_MANAGER_CONFIG_PROVIDER } from '@lakewall/platform-model';
import { ensureConfigProvidersPlugin, CONFIG_PROVIDERS_PLUGIN_NAME } from '../src/config-providers-plugin';
import { ensureMavenArtifacts, findJava } from '../src/install';
import { kafkaJars } from '../src/java-plugin';
import { cacheDir } from '../src/paths';
import { loadVersions } from '../src/versions';
import { ensureMoto, startMoto, type MotoServer } from './moto-server';

const REGION = 'eu-west-1';
// Dummy credentials for moto; AWS_EC2_METADATA_DISABLED keeps the SDKs from probing for real ones.
const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: REGION,
  AWS_EC2_METADATA_DISABLED: 'true',
};
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}-never-printed`;
const HARNESS = path.join(__dirname, 'java', 'ResolveSecretRefs.java');

interface Resolution {
  readonly ok: boolean;
  /** The resolved value, or the exception's class and message. */
  readonly text: string;
  readonly ttlMs?: number;
}

let moto: MotoServer | undefined;
let java: string;
let classpath: string;
let pluginLib: string;
let arn: string;

beforeAll(async () => {
  const python = ensureMoto(cacheDir());
  moto = await startMoto(python);
  java = findJava(loadVersions().java.minMajor);
  const mvn = ensureMavenArtifacts(cacheDir(), loadVersions(), loadPlatformModel().kafka.version, java);
  const plugin = ensureConfigProvidersPlugin(cacheDir(), java, mvn.kafkaLibs, () => undefined);
  pluginLib = path.join(plugin, CONFIG_PROVIDERS_PLUGIN_NAME, 'lib');
  // The worker's side (the client library, slf4j) plus the plugin's lib/ as it lands in the zips.
  classpath = [
    ...kafkaJars(mvn.kafkaLibs, /^(kafka-clients|slf4j-api)-.*\.jar$/),
    path.join(pluginLib, '*'),
  ].join(':');
  const sm = new SecretsManagerClient({
    region: REGION,
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const created = await sm.send(
    new CreateSecretCommand({
      Name: 'lakewall-test/debezium/database',
      SecretString: JSON.stringify({ username: 'debezium', password: PASSWORD }),
    }),
  );
  arn = created.ARN!;
  await sm.send(new CreateSecretCommand({ Name: 'lakewall-test/not-json', SecretString: `x ${PASSWORD} x` }));
  sm.destroy();
}, 600_000);

afterAll(async () => {
  await moto?.stop();
});

/** Resolves connector config values as a worker with the provider configured would. */
function resolve(values: string[], ttlMs?: number): { results: Resolution[]; stderr: string } {
  const r = spawnSync(java, ['-cp', classpath, HARNESS, REGION, moto!.endpoint, ...values], {
    encoding: 'utf8',
    env: { ...process.env, ...AWS_ENV, ...(ttlMs ? { PROVIDER_TTL_MS: String(ttlMs) } : {}) },
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`the harness failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  const results = r.stdout
    .trim()
    .split('\n')
    .map((line): Resolution => {
      const [kind, a, ...rest] = line.split('\t');
      return kind === 'OK'
        ? { ok: true, ttlMs: a === 'null' ? undefined : Number(a), text: rest.join('\t') }
        : { ok: false, text: `${a}: ${rest.join('\t')}` };
    });
  expect(results).toHaveLength(values.length);
  return { results, stderr: r.stderr };
}

describe('the Secrets Manager config provider against a Secrets Manager server', () => {
  it('is the class the model names for the MSK Connect workers, declared for service loading', () => {
    const jar = path.join(pluginLib, `${CONFIG_PROVIDERS_PLUGIN_NAME}.jar`);
    const entries = execFileSync('unzip', ['-Z1', jar], { encoding: 'utf8' }).split('\n');
    expect(entries).toContain(`${SECRETS_MANAGER_CONFIG_PROVIDER.replace(/\./g, '/')}.class`);
    const services = execFileSync(
      'unzip',
      ['-p', jar, 'META-INF/services/org.apache.kafka.common.config.provider.ConfigProvider'],
      { encoding: 'utf8' },
    );
    expect(services.trim()).toBe(SECRETS_MANAGER_CONFIG_PROVIDER);
  });

  it('resolves a reference by ARN and by name, with no TTL (so no scheduled connector restarts)', () => {
    const { results } = resolve([
      `\${secretsmanager:${arn}:password}`,
      'user=${secretsmanager:lakewall-test/debezium/database:username}',
    ]);
    expect(results[0]).toStrictEqual({ ok: true, text: PASSWORD, ttlMs: undefined });
    expect(results[1]).toStrictEqual({ ok: true, text: 'user=debezium', ttlMs: undefined });
  });

  it('returns the configured TTL with every value when the worker sets ttl.ms', () => {
    const { results } = resolve([`\${secretsmanager:${arn}:password}`], 900_000);
    expect(results[0]).toStrictEqual({ ok: true, text: PASSWORD, ttlMs: 900_000 });
  });

  it('fails on a missing key naming the secret and the key, never the value', () => {
    const { results, stderr } = resolve([
      `\${secretsmanager:${arn}:pasword}`,
      '${secretsmanager:lakewall-test/not-json:password}',
    ]);
    expect(results[0]!.ok).toBe(false);
    expect(results[0]!.text).toContain('ConfigException');
    expect(results[0]!.text).toContain(`secret '${arn}' has no key 'pasword'`);
    expect(results[1]!.ok).toBe(false);
    expect(results[1]!.text).toContain("secret 'lakewall-test/not-json' is not JSON");
    for (const r of results) expect(r.text).not.toContain(PASSWORD);
    // Nor does any stack trace (a chained cause would print its own message).
    expect(stderr).toContain('ConfigException');
    expect(stderr).not.toContain(PASSWORD);
  });

  it('fails clearly on a secret that does not exist', () => {
    const missing = arn.replace(/:secret:.*$/, ':secret:lakewall-test/no-such-secret');
    const { results } = resolve([`\${secretsmanager:${missing}:password}`]);
    expect(results[0]!.ok).toBe(false);
    expect(results[0]!.text).toContain(
      `secret '${missing}' was not found in Secrets Manager (region ${REGION})`,
    );
  });
});
