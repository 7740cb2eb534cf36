/**
 * The admin API's settings on AWS and the environment variables that carry them: one list, read by
 * the service (apps/admin-api, cloudSetup) and written by the infrastructure (the ECS task
 * definition), so the two cannot name a setting differently. Settings the service takes from its
 * flags or defaults (env, host, port, limits, log level) are not here.
 */
export const ADMIN_API_CLOUD_ENV = {
  jwksUrl: 'LAKEWALL_ADMIN_API_JWKS_URL',
  issuer: 'LAKEWALL_ADMIN_API_ISSUER',
  audience: 'LAKEWALL_ADMIN_API_AUDIENCE',
  registryUrl: 'LAKEWALL_REGISTRY_URL',
  connectUrl: 'LAKEWALL_CONNECT_URL',
  connectUsername: 'LAKEWALL_CONNECT_USERNAME',
  connectPassword: 'LAKEWALL_CONNECT_PASSWORD',
  accessTemplatesDir: 'LAKEWALL_ADMIN_API_TEMPLATES_DIR',
  accessExpectedFile: 'LAKEWALL_ADMIN_API_EXPECTED_ACCESS_FILE',
} as const;

export type AdminApiCloudSetting = keyof typeof ADMIN_API_CLOUD_ENV;

/**
 * The settings the admin API cannot start without on AWS. The service's tests check this against
 * its configuration schema (a new required setting must be added here), and the infrastructure's
 * tests check that the task definition sets each one.
 */
export const ADMIN_API_REQUIRED_CLOUD_SETTINGS: readonly AdminApiCloudSetting[] = [
  'jwksUrl',
  'issuer',
  'audience',
  'registryUrl',
];
