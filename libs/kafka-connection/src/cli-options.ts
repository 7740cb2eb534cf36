/**
 * The Kafka connection flags every lakewall CLI offers (brokers, SASL, TLS, a Secrets Manager
 * secret, a first-contact deadline), declared once so their names, help texts and environment
 * fallbacks cannot drift apart between the tools.
 */
import type { Command } from 'commander';
import type { ConnectionOptions } from './connection';

/** What commander hands the action for the connection flags. */
export interface ConnectionFlags {
  brokers?: string;
  username?: string;
  password?: string;
  saslMechanism?: string;
  tls?: boolean;
  caFile?: string;
  secretArn?: string;
  region?: string;
  /** Raw text: each tool checks it against its own bounds. */
  connectTimeout?: string;
}

export interface ConnectionFlagsSettings {
  /**
   * Put before every help text, e.g. "with --live: " when the flags only matter with another flag.
   * @default ''
   */
  readonly helpPrefix?: string;
  /**
   * Appended to the --connect-timeout help, e.g. the tool's environment fallback and default.
   * @default ''
   */
  readonly timeoutHelpSuffix?: string;
}

/** Adds the connection flags to `cmd` and returns it. */
export function addConnectionFlags<C extends Command>(cmd: C, settings: ConnectionFlagsSettings = {}): C {
  const p = settings.helpPrefix ?? '';
  cmd
    .option('--brokers <list>', `${p}bootstrap brokers host:port[,host:port] (or LAKEWALL_KAFKA_BROKERS)`)
    .option('--username <name>', `${p}SASL username (or LAKEWALL_KAFKA_USERNAME)`)
    .option(
      '--password <secret>',
      `${p}SASL password (or LAKEWALL_KAFKA_PASSWORD; prefer the environment or --secret-arn)`,
    )
    .option(
      '--sasl-mechanism <m>',
      `${p}scram-sha-512 (default), scram-sha-256 or plain (or LAKEWALL_KAFKA_SASL_MECHANISM)`,
    )
    .option('--tls', `${p}connect with TLS, as on MSK (or LAKEWALL_KAFKA_TLS=true)`)
    .option('--ca-file <pem>', `${p}CA bundle for TLS (or LAKEWALL_KAFKA_CA_FILE)`)
    .option(
      '--secret-arn <arn>',
      `${p}Secrets Manager secret with {"username","password"} (or LAKEWALL_KAFKA_SECRET_ARN)`,
    )
    .option('--region <region>', `${p}AWS region for the secret (default: from the ARN)`)
    .option(
      '--connect-timeout <ms>',
      `${p}give up when the brokers do not answer within this many ms${settings.timeoutHelpSuffix ?? ''}`,
    );
  return cmd;
}

/** The connection the flags describe (undefined fields fall back to the environment later). */
export function connectionFromFlags(flags: ConnectionFlags): ConnectionOptions {
  return {
    brokers: flags.brokers,
    username: flags.username,
    password: flags.password,
    mechanism: flags.saslMechanism,
    tls: flags.tls,
    caFile: flags.caFile,
    secretArn: flags.secretArn,
    region: flags.region,
  };
}

const FLAG_NAMES: Record<keyof ConnectionFlags, string> = {
  brokers: '--brokers',
  username: '--username',
  password: '--password',
  saslMechanism: '--sasl-mechanism',
  tls: '--tls',
  caFile: '--ca-file',
  secretArn: '--secret-arn',
  region: '--region',
  connectTimeout: '--connect-timeout',
};

/** The connection flags given on the command line, as typed (e.g. "--sasl-mechanism"). */
export function givenConnectionFlags(flags: ConnectionFlags): string[] {
  return (Object.keys(FLAG_NAMES) as (keyof ConnectionFlags)[])
    .filter((k) => flags[k] !== undefined)
    .map((k) => FLAG_NAMES[k]);
}
