import * as fs from 'node:fs';
import * as path from 'node:path';
import { SECRETS_MANAGER_CONFIG_PROVIDER } from '@lakewall/platform-model';
import { parseSha256Sums } from './iceberg-plugin-sums';
import { JAVA_SOURCES } from './java-plugin';

const SOURCES = path.join(JAVA_SOURCES, 'config-providers');

describe('the Secrets Manager config provider plugin', () => {
  it('builds the class the model names for the MSK Connect workers', () => {
    const file = path.join(SOURCES, `${SECRETS_MANAGER_CONFIG_PROVIDER.replace(/\./g, '/')}.java`);
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toMatch(
      /public final class SecretsManagerConfigProvider implements ConfigProvider/,
    );
  });

  it('declares it for service loading (Connect discovers plugins through these manifests)', () => {
    const manifest = path.join(
      SOURCES,
      'META-INF/services/org.apache.kafka.common.config.provider.ConfigProvider',
    );
    expect(fs.readFileSync(manifest, 'utf8').trim()).toBe(SECRETS_MANAGER_CONFIG_PROVIDER);
  });

  it('pins one AWS SDK version and one HTTP client', () => {
    const sums = parseSha256Sums(
      fs.readFileSync(path.join(__dirname, '..', 'maven', 'config-providers', 'SHA256SUMS'), 'utf8'),
    );
    const sdk = [...sums.keys()].filter((j) => /^[a-z0-9-]+-2\.\d+\.\d+\.jar$/.test(j));
    expect(new Set(sdk.map((j) => /-(2\.\d+\.\d+)\.jar$/.exec(j)![1]))).toEqual(new Set(['2.57.8']));
    expect(sums.has('secretsmanager-2.57.8.jar')).toBe(true);
    expect(sums.has('url-connection-client-2.57.8.jar')).toBe(true);
    expect([...sums.keys()].filter((j) => /netty|apache|httpclient/.test(j))).toEqual([]);
  });
});
