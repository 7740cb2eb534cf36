import {
  deriveBrokerPolicy,
  deriveKafkaUsers,
  deriveScramSecrets,
  loadPlatformModel,
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
