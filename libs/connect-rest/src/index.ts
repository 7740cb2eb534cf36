export { ConnectRestClient, ConnectRestError, type ConnectRestOptions, type ConnectorStatus } from './client';
export { redact, redactConfig, isSecretConfigKey } from './redact';
