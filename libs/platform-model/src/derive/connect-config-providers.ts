/**
 * How a Kafka Connect worker resolves the secrets connector configs refer to. Connect stores connector
 * configs verbatim in its config topic and returns them from REST, so connector configs hold
 * references only; the worker resolves them in-process.
 * - local: Kafka's FileConfigProvider/DirectoryConfigProvider, confined to the stack's secrets dir.
 * - AWS (MSK Connect): AWS's Secrets Manager config provider in the environment's region, so a
 *   connector refers to `${secretsmanager:<secret name>:<key>}` and the secret never leaves Secrets
 *   Manager; the connector's service role needs GetSecretValue on exactly those secrets.
 */
import type { EnvName, PlatformModel } from '../schema';

export const SECRETS_MANAGER_CONFIG_PROVIDER =
  'com.amazonaws.kafka.config.providers.SecretsManagerConfigProvider';

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
