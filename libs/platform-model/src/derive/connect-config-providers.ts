/**
 * How a Kafka Connect worker resolves the secrets connector configs refer to. Connect stores connector
 * configs verbatim in its config topic and returns them from REST, so connector configs hold
 * references only; the worker resolves them in-process.
 * - local: Kafka's FileConfigProvider/DirectoryConfigProvider, confined to the stack's secrets dir.
 * - AWS (MSK Connect): lakewall's own Secrets Manager config provider in the environment's region,
 *   so a connector refers to `${secretsmanager:<secret ARN or name>:<key>}` (a field of the secret's
 *   JSON) and the secret never leaves Secrets Manager; the connector's service role needs
 *   GetSecretValue on exactly those secrets.
 *
 * These properties are the one source of the worker's provider settings: the local stack's worker
 * and the MSK Connect worker configuration (infra-constructs) both take them from here.
 */
import type { EnvName, PlatformModel } from '../schema';

/**
 * The provider's class: lakewall's own (tools/local-stack/java/config-providers), built into the
 * `lakewall-config-providers` plugin directory that every MSK Connect custom plugin zip carries. No
 * provider jar from AWS is needed (none is published where the plugins are assembled from).
 */
export const SECRETS_MANAGER_CONFIG_PROVIDER = 'com.lakewall.connect.config.SecretsManagerConfigProvider';

export function deriveConnectConfigProviders(
  model: PlatformModel,
  env: EnvName,
  local?: { secretsDir: string },
): Record<string, string> {
  if (env === 'local') {
    if (!local) throw new Error('the local config providers need the stack secrets directory');
    return {
      'config.providers': 'file,dir',
      'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
      'config.providers.file.param.allowed.paths': local.secretsDir,
      'config.providers.dir.class': 'org.apache.kafka.common.config.provider.DirectoryConfigProvider',
      'config.providers.dir.param.allowed.paths': local.secretsDir,
    };
  }
  return {
    'config.providers': 'secretsmanager',
    'config.providers.secretsmanager.class': SECRETS_MANAGER_CONFIG_PROVIDER,
    'config.providers.secretsmanager.param.region': model.environments[env].region,
  };
}

/** A reference to one key of a Secrets Manager secret (JSON), for MSK Connect connector configs. */
export function secretsManagerRef(secretName: string, key: string): string {
  if (/[:}]/.test(secretName) || /[:}]/.test(key))
    throw new Error(`a secret reference may not contain ':' or '}' (${secretName}/${key})`);
  return `\${secretsmanager:${secretName}:${key}}`;
}

/**
 * Whether `v` is a config-provider reference (`${provider:path:key}`), or a JAAS line whose password
 * is one: what a connector config may hold in place of a secret.
 */
export function isConfigProviderReference(v: string): boolean {
  return /^\$\{[a-z]+:[^}]+\}$/.test(v) || /password="\$\{[a-z]+:[^}]+\}"/.test(v);
}
