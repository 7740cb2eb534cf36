import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ConnectPlugin } from '../src/connect/custom-plugin';
import { FargateHttpService, type FargateHttpServiceProps } from '../src/ecs/fargate-http-service';
import { OneShotTask } from '../src/ecs/one-shot-task';
import { secureKey } from '../src/defaults/secure-key';
import { MskConnector, type MskConnectorProps } from '../src/connect/msk-connector';
import { ConnectWorkerConfiguration } from '../src/connect/worker-configuration';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LogBucket } from '../src/lake/log-bucket';
import { LakeNetwork } from '../src/network/lake-network';
import { MskCluster, type MskClusterProps } from '../src/kafka/msk-cluster';
import { ScramSecrets } from '../src/kafka/scram-secrets';
import { modelIn, testStack } from './helpers';

const POLICY =
  'allow.everyone.if.no.acl.found=false\nauto.create.topics.enable=false\nmin.insync.replicas=2\n';

function cluster(overrides: Partial<MskClusterProps> = {}) {
  const stack = testStack();
  const logs = new LogBucket(stack, 'Logs', { retentionDays: 30 });
  const network = new LakeNetwork(stack, 'Net', {
    availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    flowLogBucket: logs.bucket,
  });
  const kafka = new MskCluster(stack, 'Kafka', {
    network,
    clusterName: 'test-kafka',
    kafkaVersion: '4.1.x.kraft',
    brokerCount: 3,
    brokerInstanceType: 'kafka.m7g.large',
    brokerStorageGiB: 100,
    serverProperties: POLICY,
    scramSecrets: [
      { principal: 'alice', secretName: 'AmazonMSK_test-alice' },
      { principal: 'bob', secretName: 'AmazonMSK_test-bob' },
    ],
    keyAliasPrefix: 'alias/test-kafka',
    logRetention: RetentionDays.ONE_MONTH,
    bootstrapHost: 'kafka.test.lakewall.internal',
    accessLogsBucket: logs.bucket,
    ...overrides,
  });
  return { stack, network, kafka };
}

describe('MskCluster', () => {
  it('refuses a broker count that is not a multiple of the zones', () => {
    expect(() => cluster({ brokerCount: 4 })).toThrow(
      /Kafka: brokerCount 4 must be a multiple of the 3 zones/,
    );
  });

  it('refuses a configuration that would let clients auto-create topics or act without ACLs', () => {
    expect(() => cluster({ serverProperties: 'auto.create.topics.enable=false\n' })).toThrow(
      /serverProperties must contain allow\.everyone\.if\.no\.acl\.found=false/,
    );
    expect(() =>
      cluster({
        serverProperties: POLICY.replace('auto.create.topics.enable=false', 'auto.create.topics.enable=true'),
      }),
    ).toThrow(/auto\.create\.topics\.enable=false/);
  });

  it('names its bootstrap record and private zone from the one host it is given', () => {
    const { stack, kafka } = cluster({ bootstrapHost: 'kafka.qa.example.internal' });
    expect(kafka.bootstrapEndpoint.hostname).toBe('kafka.qa.example.internal');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Route53::HostedZone', { Name: 'qa.example.internal.' });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'kafka.qa.example.internal.' });
  });

  it('refuses a bootstrap host without a zone of two labels', () => {
    expect(() => cluster({ bootstrapHost: 'kafka.internal' })).toThrow(/bootstrapHost 'kafka.internal'/);
    expect(() => cluster({ bootstrapHost: 'Kafka_Bad.x.y' })).toThrow(/bootstrapHost/);
  });

  it('refuses an instance type that is not an MSK broker type', () => {
    expect(() => cluster({ brokerInstanceType: 'm7g.large' })).toThrow(/not an MSK broker type/);
  });

  it('refuses a SCRAM secret whose name MSK cannot associate', () => {
    expect(() => cluster({ scramSecrets: [{ principal: 'alice', secretName: 'alice' }] })).toThrow(
      /secret 'alice' of alice must start with AmazonMSK_/,
    );
  });

  it('admits a client on the TLS listeners only, through declared flows', () => {
    const { stack, network, kafka } = cluster();
    const client = network.newSecurityGroup('Client', 'a client');
    kafka.allowClientsFrom(client, 'a client');
    const t = Template.fromStack(stack);
    const clientId = stack.getLogicalId(client.node.defaultChild as never);
    const egress = t.findResources('AWS::EC2::SecurityGroupEgress', {
      Properties: { GroupId: { 'Fn::GetAtt': [clientId, 'GroupId'] } },
    });
    const ports = Object.values(egress).map(
      (r) => (r as { Properties: { FromPort: number } }).Properties.FromPort,
    );
    // Brokers and bootstrap load balancer, each on SCRAM (9096) and IAM (9098); nothing else.
    expect(ports.sort()).toEqual([9096, 9096, 9098, 9098]);
  });

  it('grants a principal its own SCRAM secret and no other', () => {
    const { stack, kafka } = cluster({ scramReaderRoleNames: ['alice-task'] });
    const role = new iam.Role(stack, 'Reader', {
      roleName: 'alice-task',
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    });
    kafka.scram.grantRead('alice', role);
    const policy = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(policy).toContain('KafkaScramSecretalice');
    expect(policy).not.toContain('KafkaScramSecretbob');
  });

  it("confines the SCRAM key's use to the listed readers, the deployment role and MSK", () => {
    const { stack, kafka } = cluster({ scramReaderRoleNames: ['alice-task'] });
    const keyId = stack.getLogicalId(kafka.scram.key.node.defaultChild as kms.CfnKey);
    const statements = Template.fromStack(stack).toJSON().Resources[keyId].Properties.KeyPolicy.Statement;
    const deny = statements.find((s: { Sid?: string }) => s.Sid === 'DenyUseOutsideScramAllowList');
    expect(deny.Effect).toBe('Deny');
    expect(deny.Action).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:CreateGrant']));
    expect(deny.Condition.ArnNotEquals['aws:PrincipalArn']).toEqual([
      'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-eu-west-1',
      'arn:aws:iam::123456789012:role/aws-service-role/kafka.amazonaws.com/AWSServiceRoleForKafka',
      'arn:aws:iam::123456789012:role/alice-task',
    ]);
  });

  it('refuses to grant a SCRAM secret to a role the key would refuse', () => {
    const { stack, kafka } = cluster({ scramReaderRoleNames: ['alice-task'] });
    const unnamed = new iam.Role(stack, 'Unnamed', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    });
    expect(() => kafka.scram.grantRead('alice', unnamed)).toThrow(/not on the SCRAM key's allow-list/);
    const other = new iam.Role(stack, 'Other', {
      roleName: 'mallory-task',
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    });
    expect(() => kafka.scram.grantRead('alice', other)).toThrow(/role name mallory-task\) is not on/);
  });

  it('denies secret policy changes to everyone but the deployment role', () => {
    const { stack } = cluster();
    const policies = Object.values(
      Template.fromStack(stack).findResources('AWS::SecretsManager::ResourcePolicy'),
    );
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      expect(p.Properties.ResourcePolicy.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: ['secretsmanager:DeleteResourcePolicy', 'secretsmanager:PutResourcePolicy'],
          Condition: {
            ArnNotEquals: {
              'aws:PrincipalArn':
                'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-eu-west-1',
            },
          },
        }),
      );
    }
  });

  it('fails closed on a principal without a secret', () => {
    const { kafka } = cluster();
    expect(() => kafka.scram.secretOf('mallory')).toThrow(
      /no SCRAM secret for 'mallory' \(known: alice, bob\)/,
    );
  });
});

describe('ScramSecrets', () => {
  it('refuses an empty list and a principal named twice', () => {
    const stack = testStack();
    expect(
      () => new ScramSecrets(stack, 'None', { clusterArn: 'arn', secrets: [], keyAlias: 'alias/x' }),
    ).toThrow(/no Kafka principals/);
    const twice = [
      { principal: 'a', secretName: 'AmazonMSK_a' },
      { principal: 'a', secretName: 'AmazonMSK_a2' },
    ];
    expect(
      () => new ScramSecrets(stack, 'Twice', { clusterArn: 'arn', secrets: twice, keyAlias: 'alias/y' }),
    ).toThrow(/principal a appears twice/);
  });
});

describe('MskConnector', () => {
  function connector(overrides: Partial<MskConnectorProps> = {}) {
    const { stack, network, kafka } = cluster();
    const bucket = new s3.Bucket(stack, 'Plugins');
    const plugin = new ConnectPlugin(stack, 'Plugin', {
      name: 'p',
      description: 'plugin',
      bucket,
      objectKey: 'p.zip',
    });
    const workers = new ConnectWorkerConfiguration(stack, 'Workers', {
      name: 'w',
      model: modelIn(stack.region),
      env: 'dev',
    });
    const key = new kms.Key(stack, 'LogKey');
    const c = new MskConnector(stack, 'Connector', {
      baseName: 'test-sink',
      connectorConfiguration: {
        'connector.class': 'x',
        'database.password': '${secretsmanager:arn:password}',
      },
      plugins: [plugin.plugin],
      workerConfiguration: workers.configuration,
      cluster: kafka,
      securityGroup: network.newSecurityGroup('ConnectorSg', 'connector'),
      kafkaGrants: [
        { resourceType: 'topic', resourceName: 'cdc.a.public', actions: ['kafka-cluster:ReadData'] },
      ],
      logKey: key,
      logRetention: RetentionDays.ONE_MONTH,
      ...overrides,
    });
    return c;
  }

  it('changes its name when a property that forces a replacement changes, not when its config does', () => {
    const base = connector().connectorName;
    expect(base).toMatch(/^test-sink-[0-9a-f]{8}$/);
    expect(connector({ capacity: { mcuCount: 2, workerCount: 1 } }).connectorName).not.toBe(base);
    expect(
      connector({ connectorConfiguration: { 'connector.class': 'y', 'tasks.max': '2' } }).connectorName,
    ).toBe(base);
  });

  it('refuses a literal password in the connector configuration', () => {
    expect(() => connector({ connectorConfiguration: { 'database.password': 'hunter2' } })).toThrow(
      /database\.password holds a literal/,
    );
  });
});

describe('OneShotTask', () => {
  it('refuses a secret-looking environment variable', () => {
    const { stack, network } = cluster();
    expect(
      () =>
        new OneShotTask(stack, 'Task', {
          image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:1.36'),
          environment: { LAKEWALL_KAFKA_PASSWORD: 'p' },
          securityGroup: network.newSecurityGroup('TaskSg', 'task'),
          key: new kms.Key(stack, 'TaskKey'),
          logRetention: RetentionDays.ONE_MONTH,
        }),
    ).toThrow(/LAKEWALL_KAFKA_PASSWORD looks like a secret/);
  });
});

describe('FargateHttpService', () => {
  const service = (overrides: Partial<FargateHttpServiceProps> = {}) => {
    const { stack, network } = cluster();
    const secret = new secretsmanager.Secret(stack, 'DbSecret');
    const svc = new FargateHttpService(stack, 'Svc', {
      cluster: new ecs.Cluster(stack, 'Cluster', { vpc: network.vpc }),
      image: ecs.ContainerImage.fromRegistry('example/app:1.0.0'),
      port: 8080,
      healthCheckPath: '/healthz',
      environment: { APP_DB_USER: 'app' },
      securityGroup: network.newSecurityGroup('SvcSg', 'service'),
      key: secureKey(stack, 'SvcKey', { description: 'test service', alias: 'alias/test-svc' }),
      logRetention: RetentionDays.ONE_MONTH,
      taskRoleName: 'test-app-task',
      description: 'app: a test service',
      secrets: { APP_DB_PASSWORD: ecs.Secret.fromSecretsManager(secret, 'password') },
      ...overrides,
    });
    return { stack, svc, secret };
  };

  it('injects secrets through the execution role, which may carry a fixed name, and grants the task nothing', () => {
    const { stack, svc, secret } = service({ executionRoleName: 'test-app-execution' });
    const template = Template.fromStack(stack);
    const task = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0]!.Properties;
    const container = task.ContainerDefinitions[0];
    expect(container.Secrets).toEqual([
      { Name: 'APP_DB_PASSWORD', ValueFrom: expect.objectContaining({ 'Fn::Join': expect.anything() }) },
    ]);
    expect(JSON.stringify(container.Environment)).not.toContain('PASSWORD');
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'test-app-execution' });
    const policies = template.findResources('AWS::IAM::Policy');
    const execRoleId = stack.getLogicalId(svc.executionRole.node.defaultChild as never);
    const execPolicy = Object.values(policies).find((p) =>
      JSON.stringify(p.Properties.Roles).includes(execRoleId),
    );
    expect(JSON.stringify(execPolicy)).toContain(stack.getLogicalId(secret.node.defaultChild as never));
    expect(svc.taskRole.node.tryFindChild('DefaultPolicy')).toBeUndefined();
  });

  it('refuses a name that is both a setting and a secret', () => {
    expect(() => service({ environment: { APP_DB_PASSWORD: 'x' } })).toThrow(/both a setting and a secret/);
  });

  it('refuses a health-check start period ECS does not take', () => {
    expect(() => service({ healthCheckStartPeriodSeconds: 301 })).toThrow(/healthCheckStartPeriodSeconds/);
  });
});
