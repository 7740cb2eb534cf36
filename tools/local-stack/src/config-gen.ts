/**
 * Pure generators for every config file the local stack writes. No I/O here: unit-tested.
 */
import type { Ports } from './ports';
import { HOST } from './ports';

export function renderProperties(props: Record<string, string | number | boolean>): string {
  return (
    Object.entries(props)
      .map(([k, v]) => `${k}=${String(v).replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`)
      .join('\n') + '\n'
  );
}

export function scramJaas(username: string, password: string): string {
  return `org.apache.kafka.common.security.scram.ScramLoginModule required username="${username}" password="${password}";`;
}

export interface KafkaServerInput {
  ports: Ports;
  logDir: string;
  adminUser: string;
  adminPassword: string;
  /** Principal and PLAIN password on the controller listener (the broker half authenticates with it). */
  controllerUser: string;
  controllerPassword: string;
  /**
   * Enables delegation tokens, as a production cluster may: the MNPI policy must catch
   * CREATE_TOKENS grants (impersonation), and the local stack must be able to show one is real.
   */
  delegationTokenSecret: string;
}

export function plainJaas(username: string, password: string): string {
  return `org.apache.kafka.common.security.plain.PlainLoginModule required username="${username}" password="${password}" user_${username}="${password}";`;
}

/**
 * One combined KRaft broker/controller. Clients: SASL_PLAINTEXT + SCRAM-SHA-512. The controller
 * listener (loopback, own port) uses SASL PLAIN with a single generated user: SCRAM cannot be used
 * there (its credentials live in the metadata the controller serves), and PLAINTEXT would make
 * every local process an ANONYMOUS super user.
 */
export function kafkaServerProperties(i: KafkaServerInput): Record<string, string | number | boolean> {
  return {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@${HOST}:${i.ports.kafkaController}`,
    listeners: `CLIENT://${HOST}:${i.ports.kafka},CONTROLLER://${HOST}:${i.ports.kafkaController}`,
    'advertised.listeners': `CLIENT://${HOST}:${i.ports.kafka}`,
    'listener.security.protocol.map': 'CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'CLIENT',
    'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol': 'SCRAM-SHA-512',
    'listener.name.client.sasl.enabled.mechanisms': 'SCRAM-SHA-512',
    'listener.name.client.scram-sha-512.sasl.jaas.config': scramJaas(i.adminUser, i.adminPassword),
    'sasl.mechanism.controller.protocol': 'PLAIN',
    'listener.name.controller.sasl.enabled.mechanisms': 'PLAIN',
    'listener.name.controller.plain.sasl.jaas.config': plainJaas(i.controllerUser, i.controllerPassword),
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'allow.everyone.if.no.acl.found': false,
    'delegation.token.secret.key': i.delegationTokenSecret,
    // The broker half of this node talks to the controller half as the controller user.
    'super.users': `User:${i.adminUser};User:${i.controllerUser}`,
    'auto.create.topics.enable': false,
    'log.dirs': i.logDir,
    'num.partitions': 1,
    'default.replication.factor': 1,
    'min.insync.replicas': 1,
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 3,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'group.initial.rebalance.delay.ms': 0,
    'log.retention.hours': 24,
    'log.segment.bytes': 67108864,
    'num.network.threads': 2,
    'num.io.threads': 2,
    'background.threads': 2,
  };
}

export interface ConnectWorkerInput {
  ports: Ports;
  groupId: string;
  configTopic: string;
  offsetTopic: string;
  statusTopic: string;
  principal: string;
  /** A config-provider reference to the worker's SCRAM password, never the password itself. */
  passwordRef: string;
  pluginPath: string;
  /** The worker's config providers (deriveConnectConfigProviders: the secrets dir only, locally). */
  configProviders: Readonly<Record<string, string>>;
}

export const BASIC_AUTH_REST_EXTENSION =
  'org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension';

/**
 * Sinks see control events only when Connect hands them records, and source offsets are flushed on
 * this interval: at Connect's 60 s default a quiet topic waits up to a minute (field-tested: 1 s
 * brings insert-to-lake down to the sink's commit interval).
 */
export const CONNECT_OFFSET_FLUSH_INTERVAL_MS = 1000;

export function connectWorkerProperties(i: ConnectWorkerInput): Record<string, string | number | boolean> {
  const sasl: Record<string, string> = {
    'security.protocol': 'SASL_PLAINTEXT',
    'sasl.mechanism': 'SCRAM-SHA-512',
    'sasl.jaas.config': scramJaas(i.principal, i.passwordRef),
  };
  const prefixed = (prefix: string): Record<string, string> =>
    Object.fromEntries(Object.entries(sasl).map(([k, v]) => [`${prefix}${k}`, v]));
  return {
    'bootstrap.servers': `${HOST}:${i.ports.kafka}`,
    'group.id': i.groupId,
    'config.storage.topic': i.configTopic,
    'offset.storage.topic': i.offsetTopic,
    'status.storage.topic': i.statusTopic,
    'config.storage.replication.factor': 1,
    'offset.storage.replication.factor': 1,
    'status.storage.replication.factor': 1,
    'offset.storage.partitions': 1,
    'status.storage.partitions': 1,
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable': false,
    'value.converter.schemas.enable': false,
    listeners: `http://${HOST}:${i.ports.connect}`,
    'rest.advertised.host.name': HOST,
    'rest.advertised.port': i.ports.connect,
    // Every REST call needs a user from the stack's credentials (JAAS file given on the command line).
    'rest.extension.classes': BASIC_AUTH_REST_EXTENSION,
    // Secrets reach connectors (and this worker's own clients) only as ${file:...}/${dir:...}
    // references, resolved inside this process from files nobody else can read; a connector config
    // that names any other path is refused.
    ...i.configProviders,
    'plugin.path': i.pluginPath,
    'plugin.discovery': 'hybrid_warn',
    'connector.client.config.override.policy': 'All',
    'offset.flush.interval.ms': CONNECT_OFFSET_FLUSH_INTERVAL_MS,
    // Connectors may have Connect create topics (Debezium's heartbeat topic); each does so as its
    // own principal, whose ACLs allow CREATE on nothing but that topic.
    'topic.creation.enable': true,
    ...sasl,
    ...prefixed('producer.'),
    ...prefixed('consumer.'),
    ...prefixed('admin.'),
  };
}

/** log4j2 properties: everything to stdout (which `up` redirects into the component's log file). */
export function log4j2Properties(quietLoggers: string[] = []): string {
  const lines = [
    'status = warn',
    'appender.out.type = Console',
    'appender.out.name = OUT',
    'appender.out.layout.type = PatternLayout',
    'appender.out.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.out.ref = OUT',
  ];
  quietLoggers.forEach((name, n) => {
    lines.push(`logger.q${n}.name = ${name}`, `logger.q${n}.level = WARN`);
  });
  return lines.join('\n') + '\n';
}

export interface PostgresInput {
  ports: Ports;
}

/** Server settings passed as `-c key=value`; TCP on loopback only, no unix socket. */
export function postgresSettings(i: PostgresInput): Record<string, string> {
  return {
    listen_addresses: HOST,
    port: String(i.ports.postgres),
    unix_socket_directories: '',
    wal_level: 'logical',
    max_replication_slots: '8',
    max_wal_senders: '8',
    max_connections: '50',
    shared_buffers: '64MB',
    password_encryption: 'scram-sha-256',
    logging_collector: 'off',
    log_line_prefix: '%m [%p] %u@%d ',
  };
}

export function postgresArgs(dataDir: string, settings: Record<string, string>): string[] {
  const args = ['-D', dataDir];
  for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
  return args;
}

/** Loopback only, password (SCRAM) for every role, replication included. */
export function pgHbaConf(): string {
  return [
    '# Generated by tools/local-stack. Loopback TCP only; SCRAM passwords for everyone.',
    `host all all ${HOST}/32 scram-sha-256`,
    `host replication all ${HOST}/32 scram-sha-256`,
    '',
  ].join('\n');
}

export interface PrometheusInput {
  ports: Ports;
  /** Directory of file_sd target files (`<job>.json`); services register themselves by writing one. */
  targetsDir: string;
  /** Directory of rule files (`*.rules.yml`) Prometheus evaluates; none when omitted. */
  rulesDir?: string;
}

/**
 * Scrapes itself and Alertmanager, and every platform service that has dropped a target file into
 * `targetsDir` (file_sd: picked up without a restart). No targets is a valid, empty config.
 */
export function prometheusYaml(i: PrometheusInput): string {
  return [
    '# Generated by tools/local-stack: do not edit, re-run `npm run stack -- up`.',
    'global:',
    '  scrape_interval: 15s',
    '  evaluation_interval: 15s',
    ...(i.rulesDir ? ['rule_files:', `  - '${i.rulesDir}/*.rules.yml'`] : []),
    'alerting:',
    '  alertmanagers:',
    '    - static_configs:',
    `        - targets: ['${HOST}:${i.ports.alertmanager}']`,
    'scrape_configs:',
    '  - job_name: prometheus',
    '    static_configs:',
    `      - targets: ['${HOST}:${i.ports.prometheus}']`,
    '  - job_name: alertmanager',
    '    static_configs:',
    `      - targets: ['${HOST}:${i.ports.alertmanager}']`,
    '  - job_name: lakewall-services',
    '    file_sd_configs:',
    '      - files:',
    `          - '${i.targetsDir}/*.json'`,
    '        refresh_interval: 10s',
    '',
  ].join('\n');
}

/** The file_sd document for one platform service (its `job` label comes from the file). */
export function scrapeTargetFile(job: string, targets: string[]): string {
  if (!/^[a-z][a-z0-9-]*$/.test(job)) throw new Error(`invalid scrape job name '${job}'`);
  return JSON.stringify([{ targets, labels: { job, env: 'local' } }], null, 2) + '\n';
}

/**
 * Routes by severity: critical alerts (a leak, a stopped sink, the monitor down) to the paging
 * receiver, warnings to the ticket receiver, anything else to the default. Locally the receivers
 * have no integrations: alerts are seen in Alertmanager's UI and API, with the receiver they reached.
 */
export function alertmanagerYaml(): string {
  return [
    '# Generated by tools/local-stack. Local only: alerts go nowhere but the UI/API.',
    'route:',
    '  receiver: local-null',
    '  group_by: [alertname]',
    '  group_wait: 5s',
    '  group_interval: 1m',
    '  repeat_interval: 1h',
    '  routes:',
    '    - receiver: local-critical',
    '      matchers: [\'severity="critical"\']',
    '      group_wait: 0s',
    '    - receiver: local-warning',
    '      matchers: [\'severity="warning"\']',
    'receivers:',
    '  - name: local-null',
    '  - name: local-critical',
    '  - name: local-warning',
    '',
  ].join('\n');
}

/** `--add-scram` arguments for kafka-storage format. */
export function scramFormatArgs(users: Record<string, string>): string[] {
  return Object.entries(users).flatMap(([name, password]) => [
    '--add-scram',
    `SCRAM-SHA-512=[name=${name},password=${password}]`,
  ]);
}

/** Parses `ConfigCommand --describe --entity-type users` output into the user names that have SCRAM-SHA-512 credentials. */
export function parseScramUsers(output: string): string[] {
  const users = new Set<string>();
  const re = /SCRAM credential configs for user-principal '([^']+)' are ([^\n]*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(output))) {
    const [, user, configs] = m;
    if (user && configs?.includes('SCRAM-SHA-512')) users.add(user);
  }
  return [...users].sort();
}

export interface S3ProxyInput {
  ports: Ports;
  identity: string;
  credential: string;
  /** Where the filesystem provider keeps buckets (one directory each). */
  baseDir: string;
}

/** S3Proxy on loopback, filesystem-backed, signed requests only (V2 or V4), path-style. */
export function s3proxyProperties(i: S3ProxyInput): Record<string, string> {
  return {
    's3proxy.endpoint': `http://${HOST}:${i.ports.s3}`,
    's3proxy.authorization': 'aws-v2-or-v4',
    's3proxy.identity': i.identity,
    's3proxy.credential': i.credential,
    'jclouds.provider': 'filesystem',
    'jclouds.filesystem.basedir': i.baseDir,
  };
}
