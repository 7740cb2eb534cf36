import {
  alertmanagerYaml,
  BASIC_AUTH_REST_EXTENSION,
  connectWorkerProperties,
  kafkaServerProperties,
  parseScramUsers,
  pgHbaConf,
  postgresArgs,
  postgresSettings,
  prometheusYaml,
  renderProperties,
  scramFormatArgs,
  scrapeTargetFile,
} from './config-gen';
import { deriveConnectConfigProviders, loadPlatformModel } from '@lakewall/platform-model';
import { DEFAULT_PORTS } from './ports';

describe('kafkaServerProperties', () => {
  const props = kafkaServerProperties({
    ports: DEFAULT_PORTS,
    logDir: '/s/kafka/data',
    adminUser: 'admin',
    adminPassword: 'pw',
    controllerUser: 'controller',
    controllerPassword: 'cpw',
    delegationTokenSecret: 'dts',
  });

  it('enables delegation tokens with the generated key, and names the super users the model lists', () => {
    expect(props['delegation.token.secret.key']).toBe('dts');
    expect(props['super.users']).toBe('User:admin;User:controller');
  });

  it('binds both listeners to loopback and uses SCRAM-SHA-512 for clients', () => {
    expect(props.listeners).toBe('CLIENT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
    expect(props['listener.security.protocol.map']).toBe('CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT');
    expect(props['sasl.mechanism.controller.protocol']).toBe('PLAIN');
    expect(props['listener.name.controller.plain.sasl.jaas.config']).toContain('user_controller="cpw"');
    expect(props['sasl.enabled.mechanisms']).toBe('SCRAM-SHA-512');
    expect(props['listener.name.client.scram-sha-512.sasl.jaas.config']).toContain(
      'username="admin" password="pw"',
    );
  });

  it('denies by default and never auto-creates topics', () => {
    expect(props['authorizer.class.name']).toBe('org.apache.kafka.metadata.authorizer.StandardAuthorizer');
    expect(props['allow.everyone.if.no.acl.found']).toBe(false);
    expect(props['auto.create.topics.enable']).toBe(false);
    expect(props['super.users']).toBe('User:admin;User:controller');
    expect(String(props['super.users'])).not.toContain('ANONYMOUS');
  });

  it('sizes internal topics for a single broker', () => {
    expect(props['offsets.topic.replication.factor']).toBe(1);
    expect(props['transaction.state.log.replication.factor']).toBe(1);
    expect(props['transaction.state.log.min.isr']).toBe(1);
    expect(props['group.initial.rebalance.delay.ms']).toBe(0);
  });
});

describe('connectWorkerProperties', () => {
  const props = connectWorkerProperties({
    ports: DEFAULT_PORTS,
    groupId: 'g',
    configTopic: 'c',
    offsetTopic: 'o',
    statusTopic: 's',
    principal: 'connect-worker',
    passwordRef: '${file:/s/connect/secrets/kafka-connect-worker.properties:password}',
    pluginPath: '/p',
    configProviders: deriveConnectConfigProviders(loadPlatformModel(), 'local', {
      secretsDir: '/s/connect/secrets',
    }),
  });

  it('repeats the SASL settings for the worker, producer, consumer and admin clients', () => {
    for (const prefix of ['', 'producer.', 'consumer.', 'admin.']) {
      expect(props[`${prefix}security.protocol`]).toBe('SASL_PLAINTEXT');
      expect(props[`${prefix}sasl.mechanism`]).toBe('SCRAM-SHA-512');
      expect(props[`${prefix}sasl.jaas.config`]).toContain('username="connect-worker"');
    }
  });

  it('lets connectors bring their own principal and keeps internal topics at RF 1', () => {
    expect(props['connector.client.config.override.policy']).toBe('All');
    expect(props['config.storage.replication.factor']).toBe(1);
    expect(props['offset.storage.replication.factor']).toBe(1);
    expect(props['status.storage.replication.factor']).toBe(1);
    expect(props.listeners).toBe('http://127.0.0.1:18083');
    expect(props['group.id']).toBe('g');
  });

  it("lets connectors have Connect create their own topics (Debezium's heartbeat topic)", () => {
    expect(props['topic.creation.enable']).toBe(true);
  });

  it('holds no password: its own JAAS config refers to the secrets file through the file provider', () => {
    expect(props['sasl.jaas.config']).toContain(
      'password="${file:/s/connect/secrets/kafka-connect-worker.properties:password}"',
    );
    expect(props['config.providers']).toBe('file,dir');
    expect(props['config.providers.file.class']).toBe(
      'org.apache.kafka.common.config.provider.FileConfigProvider',
    );
  });

  it('lets the config providers read the secrets directory and nothing else', () => {
    expect(props['config.providers.file.param.allowed.paths']).toBe('/s/connect/secrets');
    expect(props['config.providers.dir.param.allowed.paths']).toBe('/s/connect/secrets');
  });

  it('requires basic authentication on the REST API and flushes offsets every second', () => {
    expect(props['rest.extension.classes']).toBe(BASIC_AUTH_REST_EXTENSION);
    expect(props['offset.flush.interval.ms']).toBe(1000);
  });
});

describe('renderProperties', () => {
  it('writes one key=value per line and escapes backslashes and newlines', () => {
    expect(renderProperties({ a: 1, b: 'x\\y', c: 'l1\nl2', d: false })).toBe(
      'a=1\nb=x\\\\y\nc=l1\\nl2\nd=false\n',
    );
  });
});

describe('postgres', () => {
  it('enables logical decoding on loopback only, without a unix socket', () => {
    const s = postgresSettings({ ports: DEFAULT_PORTS });
    expect(s).toMatchObject({
      listen_addresses: '127.0.0.1',
      port: '15432',
      wal_level: 'logical',
      unix_socket_directories: '',
    });
    expect(Number(s.max_replication_slots)).toBeGreaterThan(0);
    expect(Number(s.max_wal_senders)).toBeGreaterThan(0);
    expect(postgresArgs('/d', { a: '1' })).toEqual(['-D', '/d', '-c', 'a=1']);
  });

  it('allows only loopback TCP with SCRAM, replication included', () => {
    const hba = pgHbaConf()
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(hba).toEqual([
      'host all all 127.0.0.1/32 scram-sha-256',
      'host replication all 127.0.0.1/32 scram-sha-256',
    ]);
  });
});

describe('prometheus / alertmanager', () => {
  it('points Prometheus at our Alertmanager and discovers service targets from files', () => {
    const y = prometheusYaml({ ports: DEFAULT_PORTS, targetsDir: '/s/prometheus/targets' });
    expect(y).toContain("- targets: ['127.0.0.1:19094']");
    expect(y).toContain("- '/s/prometheus/targets/*.json'");
  });

  it('writes file_sd target files', () => {
    expect(JSON.parse(scrapeTargetFile('monitor', ['127.0.0.1:9464']))).toEqual([
      { targets: ['127.0.0.1:9464'], labels: { job: 'monitor', env: 'local' } },
    ]);
    expect(() => scrapeTargetFile('../x', [])).toThrow('invalid scrape job name');
  });

  it('has a receiver for the default route', () => {
    expect(alertmanagerYaml()).toMatch(/receiver: local-null[\s\S]*- name: local-null/);
  });

  it('routes alerts by severity, each route to a declared receiver', () => {
    const y = alertmanagerYaml();
    expect(y).toMatch(/- receiver: local-critical\n\s+matchers: \['severity="critical"'\]/);
    expect(y).toMatch(/- receiver: local-warning\n\s+matchers: \['severity="warning"'\]/);
    expect(y).toContain('  - name: local-critical');
    expect(y).toContain('  - name: local-warning');
  });

  it('loads rule files when a rules directory is given', () => {
    expect(prometheusYaml({ ports: DEFAULT_PORTS, targetsDir: '/t' })).not.toContain('rule_files');
    expect(
      prometheusYaml({ ports: DEFAULT_PORTS, targetsDir: '/t', rulesDir: '/s/prometheus/rules' }),
    ).toContain("rule_files:\n  - '/s/prometheus/rules/*.rules.yml'");
  });
});

describe('SCRAM helpers', () => {
  it('builds --add-scram arguments per user', () => {
    expect(scramFormatArgs({ admin: 'a', debezium: 'b' })).toEqual([
      '--add-scram',
      'SCRAM-SHA-512=[name=admin,password=a]',
      '--add-scram',
      'SCRAM-SHA-512=[name=debezium,password=b]',
    ]);
  });

  it('parses ConfigCommand --describe output', () => {
    const out = [
      "SCRAM credential configs for user-principal 'admin' are SCRAM-SHA-512=iterations=4096",
      "SCRAM credential configs for user-principal 'old' are SCRAM-SHA-256=iterations=8192",
      "SCRAM credential configs for user-principal 'debezium' are SCRAM-SHA-256=iterations=8192, SCRAM-SHA-512=iterations=4096",
    ].join('\n');
    expect(parseScramUsers(out)).toEqual(['admin', 'debezium']);
  });
});
