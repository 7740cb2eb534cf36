import { TAG_KEYS } from '@lakewall/infra-constructs';
import { deriveBrokerPolicy, deriveScramSecrets, mskKafkaVersion } from '@lakewall/platform-model';
import { buildAll, CLOUD_ENVIRONMENTS, logicalId, resourcesOf } from './fixtures';

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(CLOUD_ENVIRONMENTS)('MSK in %s', (env) => {
  const { model, stages, templates } = buildAll();
  const stack = stages.get(env)!.infra;
  const kafka = stack.kafka;
  const template = templates.get(env)!;
  const facts = model.environments[env].kafka;
  const clusters = resourcesOf(template, 'AWS::MSK::Cluster');
  const cluster = Object.values(clusters)[0]!.Properties as Props;
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Props }>;

  it('is one provisioned cluster sized and versioned by the model', () => {
    expect(Object.keys(clusters)).toEqual([logicalId(kafka.cluster)]);
    expect(cluster.ClusterName).toBe(`lakewall-${env}-kafka`);
    expect(cluster.KafkaVersion).toBe(mskKafkaVersion(model));
    expect(cluster.NumberOfBrokerNodes).toBe(facts.brokers);
    expect(cluster.BrokerNodeGroupInfo.InstanceType).toBe(facts.brokerInstanceType);
    expect(cluster.BrokerNodeGroupInfo.StorageInfo.EBSStorageInfo.VolumeSize).toBe(facts.brokerStorageGiB);
    expect(cluster.BrokerNodeGroupInfo.ClientSubnets).toHaveLength(
      model.environments[env].availabilityZones!,
    );
  });

  it('authenticates with SASL/SCRAM and IAM only, never unauthenticated, never from the internet', () => {
    expect(cluster.ClientAuthentication).toEqual({
      Sasl: { Scram: { Enabled: true }, Iam: { Enabled: true } },
      Unauthenticated: { Enabled: false },
      Tls: { Enabled: false },
    });
    expect(cluster.BrokerNodeGroupInfo.ConnectivityInfo.PublicAccess.Type).toBe('DISABLED');
  });

  it('encrypts in transit with TLS only and at rest with its own rotated customer-managed key', () => {
    expect(cluster.EncryptionInfo.EncryptionInTransit).toEqual({ ClientBroker: 'TLS', InCluster: true });
    const keyId = logicalId(kafka.key);
    expect(cluster.EncryptionInfo.EncryptionAtRest.DataVolumeKMSKeyId).toEqual({
      'Fn::GetAtt': [keyId, 'Arn'],
    });
    expect(resources[keyId]!.Properties.EnableKeyRotation).toBe(true);
  });

  it('has enhanced and open monitoring and broker logs in an encrypted log group with retention', () => {
    expect(cluster.EnhancedMonitoring).toBe('PER_TOPIC_PER_PARTITION');
    expect(cluster.OpenMonitoring.Prometheus).toEqual({
      JmxExporter: { EnabledInBroker: true },
      NodeExporter: { EnabledInBroker: true },
    });
    const logGroup = resources[logicalId(kafka.logGroup)]!.Properties;
    expect(cluster.LoggingInfo.BrokerLogs.CloudWatchLogs).toEqual({
      Enabled: true,
      LogGroup: { Ref: logicalId(kafka.logGroup) },
    });
    expect(logGroup.KmsKeyId).toEqual({ 'Fn::GetAtt': [logicalId(kafka.key), 'Arn'] });
    expect(logGroup.RetentionInDays).toBeGreaterThanOrEqual(model.environments[env].audit!.retentionDays);
  });

  it('runs the configuration derived from the model (no auto-created topics, closed without ACLs)', () => {
    const configuration = resources[logicalId(kafka.configuration)]!.Properties;
    expect(cluster.ConfigurationInfo).toEqual({
      Arn: { 'Fn::GetAtt': [logicalId(kafka.configuration), 'Arn'] },
      Revision: { 'Fn::GetAtt': [logicalId(kafka.configuration), 'LatestRevision.Revision'] },
    });
    const lines = (configuration.ServerProperties as string).trim().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'auto.create.topics.enable=false',
        'allow.everyone.if.no.acl.found=false',
        `min.insync.replicas=${facts.minInsyncReplicas}`,
        `default.replication.factor=${facts.replicationFactor}`,
      ]),
    );
    expect(lines).toHaveLength(Object.keys(deriveBrokerPolicy(model, env)).length);
    expect(configuration.KafkaVersionsList).toEqual([mskKafkaVersion(model)]);
  });

  it('has one AmazonMSK_ SCRAM secret per Kafka principal, under a customer-managed key, all associated', () => {
    const expected = deriveScramSecrets(model, env);
    const secrets = Object.entries(resourcesOf(template, 'AWS::SecretsManager::Secret')).filter(([, s]) =>
      String(s.Properties!.Name ?? '').startsWith('AmazonMSK_'),
    );
    expect(secrets.map(([, s]) => s.Properties!.Name).sort()).toEqual(
      expected.map((s) => s.secretName).sort(),
    );
    for (const [, secret] of secrets) {
      expect(secret.Properties!.KmsKeyId).toEqual({ 'Fn::GetAtt': [logicalId(kafka.scram.key), 'Arn'] });
    }
    const associations = Object.values(resourcesOf(template, 'AWS::MSK::BatchScramSecret'));
    expect(associations).toHaveLength(1);
    const association = associations[0]!.Properties!;
    expect(association.ClusterArn).toEqual({ 'Fn::GetAtt': [logicalId(kafka.cluster), 'Arn'] });
    expect((association.SecretArnList as unknown[]).map((r) => JSON.stringify(r)).sort()).toEqual(
      secrets.map(([id]) => JSON.stringify({ Ref: id })).sort(),
    );
  });

  it('gives no secret to a principal the environment does not have', () => {
    const names = Object.values(resourcesOf(template, 'AWS::SecretsManager::Secret')).map((s) =>
      String(s.Properties!.Name ?? ''),
    );
    expect(names.some((n) => n.endsWith('-outsider'))).toBe(false);
  });

  it('opens the brokers to no CIDR: only the bootstrap load balancer reaches them, on the TLS ports', () => {
    const brokerSg = logicalId(kafka.securityGroup);
    const brokerSgProps = resources[brokerSg]!.Properties;
    expect(brokerSgProps.SecurityGroupIngress ?? []).toEqual([]);
    const ingress = Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroupIngress'))
      .map((r) => r.Properties!)
      .filter((p) => JSON.stringify(p.GroupId) === JSON.stringify({ 'Fn::GetAtt': [brokerSg, 'GroupId'] }));
    expect(ingress.map((p) => p.FromPort).sort()).toEqual([9096, 9098]);
    for (const rule of ingress) {
      expect(rule.CidrIp).toBeUndefined();
      expect(rule.SourceSecurityGroupId).toEqual({
        'Fn::GetAtt': [logicalId(kafka.bootstrapEndpoint.securityGroup), 'GroupId'],
      });
    }
  });

  it('exposes a stable bootstrap name: internal NLB passing TLS through, private Route53 record', () => {
    const lb = resources[logicalId(kafka.bootstrapEndpoint.loadBalancer)]!.Properties;
    expect(lb.Scheme).toBe('internal');
    expect(lb.Type).toBe('network');
    const listeners = Object.values(resourcesOf(template, 'AWS::ElasticLoadBalancingV2::Listener')).map(
      (l) => l.Properties!,
    );
    expect(listeners.map((l) => [l.Protocol, l.Port]).sort()).toEqual([
      ['TCP', 9096],
      ['TCP', 9098],
    ]);
    for (const group of Object.values(resourcesOf(template, 'AWS::ElasticLoadBalancingV2::TargetGroup'))) {
      expect(group.Properties!.TargetType).toBe('ip');
      expect(group.Properties!.Targets).toHaveLength(facts.brokers);
    }
    const zones = Object.values(resourcesOf(template, 'AWS::Route53::HostedZone'));
    expect(zones).toHaveLength(1);
    // One fact: the record is the model's bootstrap host, the one the bootstrapper checks.
    const host = model.environments[env].kafka.cluster!.bootstrapHost!;
    expect(host).toBe(`kafka.${env}.lakewall.internal`);
    expect(zones[0]!.Properties!.Name).toBe(`${host.split('.').slice(1).join('.')}.`);
    expect(zones[0]!.Properties!.VPCs).toHaveLength(1);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: `${host}.`,
      Type: 'A',
    });
  });

  it('reads bootstrap brokers and broker addresses with a custom resource allowed on this cluster only', () => {
    const calls = Object.values(resourcesOf(template, 'Custom::AWS')).map((r) =>
      JSON.stringify(r.Properties!.Update ?? r.Properties!.Create),
    );
    expect(calls.some((c) => c.includes('getBootstrapBrokers'))).toBe(true);
    expect(calls.some((c) => c.includes('listNodes'))).toBe(true);
    const policies = Object.entries(resourcesOf(template, 'AWS::IAM::Policy')).filter(([id]) =>
      id.startsWith('KafkaBrokerInfo'),
    );
    expect(policies).toHaveLength(2);
    for (const [, policy] of policies) {
      for (const statement of (policy.Properties!.PolicyDocument as { Statement: Props[] }).Statement) {
        expect(['kafka:GetBootstrapBrokers', 'kafka:ListNodes']).toContain(statement.Action);
        expect(statement.Resource).toEqual({ 'Fn::GetAtt': [logicalId(kafka.cluster), 'Arn'] });
      }
    }
  });

  it('is classified as its most restricted zone, MNPI', () => {
    const tags = Object.fromEntries((cluster.Tags ? Object.entries(cluster.Tags) : []) as [string, string][]);
    expect(tags[TAG_KEYS.classification]).toBe('mnpi');
  });
});
