import {
  debeziumHeartbeatTopic,
  deriveBrokerPolicy,
  deriveMskIamGrants,
  topicsInZone,
  deriveKafkaUsers,
  deriveScramSecrets,
  loadPlatformModel,
  mskBootstrapHost,
  mskClusterName,
  mskKafkaVersion,
  renderProperties,
  type PlatformModel,
} from '../src';

const model = loadPlatformModel();
const withKafka = (version: string): PlatformModel => ({ ...model, kafka: { ...model.kafka, version } });

describe('MSK Kafka version', () => {
  it('maps 4.x releases to the KRaft line MSK offers', () => {
    expect(mskKafkaVersion(withKafka('4.1.1'))).toBe('4.1.x.kraft');
    expect(mskKafkaVersion(withKafka('4.0.0'))).toBe('4.0.x.kraft');
  });
  it('maps 3.x releases to the plain line', () => {
    expect(mskKafkaVersion(withKafka('3.9.1'))).toBe('3.9.x');
  });
  it('names the cluster per environment', () => {
    expect(mskClusterName(model, 'prod')).toBe('lakewall-prod-kafka');
  });
});

describe('MSK bootstrap host', () => {
  it("is the environment's cluster.bootstrapHost", () => {
    expect(mskBootstrapHost(model, 'dev')).toBe('kafka.dev.lakewall.internal');
  });
  it('refuses an environment without one, naming the model path', () => {
    const bad: PlatformModel = {
      ...model,
      environments: {
        ...model.environments,
        staging: {
          ...model.environments.staging,
          kafka: { ...model.environments.staging.kafka, cluster: {} },
        },
      },
    };
    expect(() => mskBootstrapHost(bad, 'staging')).toThrow(
      /environments\.staging\.kafka\.cluster\.bootstrapHost/,
    );
  });
});

describe('broker policy', () => {
  it('closes auto-creation and open-by-default, and carries the environment replication facts', () => {
    for (const env of ['dev', 'staging', 'prod'] as const) {
      const kafka = model.environments[env].kafka;
      const policy = deriveBrokerPolicy(model, env);
      expect(policy['auto.create.topics.enable']).toBe('false');
      expect(policy['allow.everyone.if.no.acl.found']).toBe('false');
      expect(policy['default.replication.factor']).toBe(String(kafka.replicationFactor));
      expect(policy['min.insync.replicas']).toBe(String(kafka.minInsyncReplicas));
    }
  });
  it('refuses min.insync.replicas above the replication factor, naming the model path', () => {
    const bad: PlatformModel = {
      ...model,
      environments: {
        ...model.environments,
        dev: { ...model.environments.dev, kafka: { ...model.environments.dev.kafka, minInsyncReplicas: 3 } },
      },
    };
    expect(() => deriveBrokerPolicy(bad, 'dev')).toThrow(/environments\.dev\.kafka\.minInsyncReplicas \(3\)/);
  });
  it('refuses a replication factor above the broker count', () => {
    const bad: PlatformModel = {
      ...model,
      environments: {
        ...model.environments,
        dev: { ...model.environments.dev, kafka: { ...model.environments.dev.kafka, replicationFactor: 5 } },
      },
    };
    expect(() => deriveBrokerPolicy(bad, 'dev')).toThrow(/replicationFactor \(5\) exceeds brokers/);
  });
  it('renders a sorted properties file', () => {
    expect(renderProperties({ b: '2', a: '1' })).toBe('a=1\nb=2\n');
  });
});

describe('SCRAM secrets', () => {
  it('one AmazonMSK_ secret per Kafka principal of the environment, nothing else', () => {
    const secrets = deriveScramSecrets(model, 'dev');
    expect(secrets.map((s) => s.principal)).toEqual(deriveKafkaUsers(model, 'dev').map((u) => u.name));
    for (const s of secrets) expect(s.secretName).toBe(`AmazonMSK_lakewall-dev-${s.principal}`);
  });
  it('leaves out principals the environment does not have (outsider is local only)', () => {
    expect(deriveScramSecrets(model, 'prod').map((s) => s.principal)).not.toContain('outsider');
    expect(deriveScramSecrets(model, 'local').map((s) => s.principal)).toContain('outsider');
  });
});

describe('MSK IAM grants', () => {
  const grantsOf = (principal: string) => deriveMskIamGrants(model, 'prod', principal);
  const topicActions = (principal: string, topic: string) =>
    grantsOf(principal).find((g) => g.resourceType === 'topic' && g.resourceName === topic)?.actions ?? [];

  it('lets the MNPI sink read its zone topics and its own group, nothing of the public zone', () => {
    const grants = grantsOf('sink-mnpi');
    for (const topic of topicsInZone(model, 'prod', 'mnpi')) {
      expect(topicActions('sink-mnpi', topic.name)).toEqual([
        'kafka-cluster:DescribeTopic',
        'kafka-cluster:ReadData',
      ]);
    }
    for (const topic of topicsInZone(model, 'prod', 'public'))
      expect(topicActions('sink-mnpi', topic.name)).toEqual([]);
    // Its own groups: Connect's, the Iceberg coordinator's and its control groups.
    expect(grants.filter((g) => g.resourceType === 'group').map((g) => g.resourceName)).toEqual([
      'connect-lakewall-sink-mnpi',
      'connect-lakewall-sink-mnpi-coord',
      'lakewall-sink-mnpi-control-*',
    ]);
    // It writes only its zone's control topic (commit coordination), never a CDC topic.
    expect(
      grants.filter((g) => g.actions.includes('kafka-cluster:WriteData')).map((g) => g.resourceName),
    ).toEqual(['cdc._iceberg_control.mnpi']);
  });

  it('never lets the public sink touch an MNPI topic', () => {
    const names = grantsOf('sink-public').map((g) => g.resourceName);
    for (const topic of topicsInZone(model, 'prod', 'mnpi')) expect(names).not.toContain(topic.name);
  });

  it('lets Debezium write every zone topic idempotently and create only its heartbeat topic', () => {
    const grants = grantsOf('debezium');
    const creates = grants
      .filter((g) => g.actions.includes('kafka-cluster:CreateTopic'))
      .map((g) => g.resourceName);
    expect(creates).toEqual([debeziumHeartbeatTopic(model)]);
    const cluster = grants.find((g) => g.resourceType === 'cluster')!;
    expect(cluster.actions).toEqual(
      expect.arrayContaining(['kafka-cluster:Connect', 'kafka-cluster:WriteDataIdempotently']),
    );
    expect(grants.some((g) => g.resourceName.endsWith('*'))).toBe(false);
  });

  it('fails closed on a principal with no Kafka grants', () => {
    expect(() => deriveMskIamGrants(model, 'prod', 'finance-analysts')).toThrow(
      /principal 'finance-analysts' has no Kafka grants in prod/,
    );
  });
});
