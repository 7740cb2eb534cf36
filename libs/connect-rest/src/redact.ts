/**
 * Hides anything that looks like a password, secret or JAAS config in text bound for a log or an
 * error message. Connector configs should reference secrets through config providers, so this is
 * the second line of defence, not the first.
 */
export function redact(text: string): string {
  return text
    .replace(/((?:password|secret|secret-access-key|credential)"?\s*[:=]\s*\\?"?)[^"\\,\s}]+/gi, '$1***')
    .replace(/(jaas\.config"?\s*[:=]\s*\\?")[^"]*(\\?")/gi, '$1***$2');
}

/** True for a connector config key whose value is a secret (shown as *** by the REST client's callers). */
export function isSecretConfigKey(key: string): boolean {
  return /password|secret|jaas\.config|credential|token/i.test(key);
}

/** A copy of a connector config with every secret-looking value replaced by ***. */
export function redactConfig(config: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k, isSecretConfigKey(k) && !/^\$\{[^}]+\}$/.test(v) ? '***' : v]),
  );
}
