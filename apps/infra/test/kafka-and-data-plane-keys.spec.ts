import { Template } from 'aws-cdk-lib/assertions';
import { KEY_USE_ACTIONS, type OneShotTask } from '@lakewall/infra-constructs';
import { buildAll, CLOUD_ENVIRONMENTS, logicalId } from './fixtures';

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Resource = { Type: string; Properties: Props };

describe.each(CLOUD_ENVIRONMENTS)('Kafka, data-plane, network-logs and alarms keys in %s', (env) => {
  const { model, stages } = buildAll();
  const stage = stages.get(env)!;
  const { account, region } = model.environments[env];
  const infra = Template.fromStack(stage.infra).toJSON().Resources as Record<string, Resource>;
  const dataPlane = Template.fromStack(stage.dataPlane).toJSON().Resources as Record<string, Resource>;
  const deployment = `arn:aws:iam::${account}:role/cdk-hnb659fds-cfn-exec-role-${account}-${region}`;
  const msk = `arn:aws:iam::${account}:role/aws-service-role/kafka.amazonaws.com/AWSServiceRoleForKafka`;
  const role = (name: string) => `arn:aws:iam::${account}:role/${name}`;

  /** The allow-list of a key: the principals its Deny of use exempts. */
  const allowList = (resources: Record<string, Resource>, keyId: string, sid: string) => {
    const statement = resources[keyId]!.Properties.KeyPolicy.Statement.find((s: Props) => s.Sid === sid);
    expect(statement).toBeDefined();
    expect(statement.Effect).toBe('Deny');
    expect(statement.Principal).toEqual({ AWS: '*' });
    expect([...statement.Action].sort()).toEqual([...KEY_USE_ACTIONS].sort());
    expect(statement.Condition.BoolIfExists).toEqual({ 'aws:PrincipalIsAWSService': 'false' });
    return statement.Condition.ArnNotEquals['aws:PrincipalArn'];
  };

  it('lets only the ECS roles that read SCRAM secrets, MSK and the deployment role use the SCRAM key', () => {
    const list = allowList(infra, logicalId(stage.infra.kafka.scram.key), 'DenyUseOutsideScramAllowList');
    const services = stage.dataPlane.services;
    const taskRoles = [
      services.bootstrapper.taskDefinition.taskRole,
      services.monitor.taskRole,
      services.adminApi.taskRole,
    ];
    const names = taskRoles.map((r) => dataPlane[logicalId(r)]!.Properties.RoleName);
    expect(names).toEqual([
      `lakewall-${env}-bootstrapper-task`,
      `lakewall-${env}-monitor-task`,
      `lakewall-${env}-admin-api-task`,
    ]);
    // Cruise Control's password is injected by ECS, so its execution role reads it, not its task.
    const cruiseControl = dataPlane[logicalId(services.cruiseControl.executionRole)]!.Properties.RoleName;
    expect(cruiseControl).toBe(`lakewall-${env}-cruise-control-execution`);
    expect(list).toEqual([deployment, msk, ...[...names, cruiseControl].map(role)]);
    // Not the connectors (IAM auth) nor Prometheus, Alertmanager or the schema registry.
    for (const other of ['debezium', 'sink', 'connect', 'prometheus', 'alertmanager', 'registry']) {
      expect(JSON.stringify(list)).not.toContain(other);
    }
  });

  it('lets only MSK and the deployment role use the broker storage key', () => {
    expect(allowList(infra, logicalId(stage.infra.kafka.key), 'DenyUseOutsideStorageAllowList')).toEqual([
      deployment,
      msk,
    ]);
  });

  it('lets only the deployment role use the network logs key (CloudWatch Logs uses it as a service)', () => {
    const [keyId] = Object.entries(infra).find(
      ([id, r]) => r.Type === 'AWS::KMS::Key' && id.startsWith('NetworkLogsKey'),
    )!;
    expect(allowList(infra, keyId, 'DenyUseOutsideNetworkLogsAllowList')).toEqual([deployment]);
  });

  it('lets only the deployment role use the alarms key (CloudWatch and SNS use it as services)', () => {
    const [keyId] = Object.entries(infra).find(
      ([id, r]) => r.Type === 'AWS::KMS::Key' && id.startsWith('AlarmsKey'),
    )!;
    expect(allowList(infra, keyId, 'DenyUseOutsideAlarmsAllowList')).toEqual([deployment]);
  });

  it("lets only Debezium's connector role, the registry's execution role, the source setup task (which sets Debezium's password) and the deployment role use the data-plane key", () => {
    const debezium = stage.dataPlane.connectors.get('debezium')!;
    const registry = stage.dataPlane.services.schemaRegistry;
    const sourceSetup = stage.dataPlane.node.findChild('SourceSetup') as OneShotTask;
    expect(allowList(dataPlane, logicalId(stage.dataPlane.key), 'DenyUseOutsideDataPlaneAllowList')).toEqual([
      deployment,
      { 'Fn::GetAtt': [logicalId(debezium.role), 'Arn'] },
      { 'Fn::GetAtt': [logicalId(sourceSetup.taskDefinition.taskRole), 'Arn'] },
      // ECS injects the registry's database password, encrypted with this key, through it.
      { 'Fn::GetAtt': [logicalId(registry.executionRole), 'Arn'] },
    ]);
  });

  it("lets only the three connector roles and the deployment role use the registry endpoint's key", () => {
    const debezium = stage.dataPlane.connectors.get('debezium')!;
    // The sinks' roles are the infra stack's: named through its exports.
    const sinkRoles = [...stage.dataPlane.connectors.entries()]
      .filter(([principal]) => principal !== 'debezium')
      .map(([, c]) => ({
        'Fn::ImportValue': expect.stringContaining(`ExportsOutputFnGetAtt${logicalId(c.role)}Arn`),
      }));
    expect(sinkRoles).toHaveLength(2);
    expect(
      allowList(
        dataPlane,
        logicalId(stage.dataPlane.schemaRegistryEndpointKey),
        'DenyUseOutsideRegistryEndpointAllowList',
      ),
    ).toEqual([deployment, { 'Fn::GetAtt': [logicalId(debezium.role), 'Arn'] }, ...sinkRoles]);
  });

  it('lets only Alertmanager and the deployment role use the alerts key', () => {
    const { alerts, alertmanager } = stage.dataPlane.services.observability;
    expect(allowList(dataPlane, logicalId(alerts.key), 'DenyUseOutsideAlertsAllowList')).toEqual([
      deployment,
      { 'Fn::GetAtt': [logicalId(alertmanager.taskRole), 'Arn'] },
    ]);
  });

  it('denies policy changes of every SCRAM secret, the Debezium database secret and the registry endpoint secret outside deployment', () => {
    const policies = [...Object.values(infra), ...Object.values(dataPlane)].filter(
      (r) => r.Type === 'AWS::SecretsManager::ResourcePolicy',
    );
    const secured = policies
      .filter((p) =>
        p.Properties.ResourcePolicy.Statement.some(
          (s: Props) =>
            s.Effect === 'Deny' &&
            s.Action.includes('secretsmanager:PutResourcePolicy') &&
            s.Condition.ArnNotEquals['aws:PrincipalArn'] === deployment,
        ),
      )
      .map((p) => JSON.stringify(p.Properties.SecretId));
    for (const principal of stage.infra.kafka.scram.principals) {
      expect(secured.some((s) => s.includes(`ScramSecret${principal.replace(/-/g, '')}`))).toBe(true);
    }
    expect(secured.some((s) => s.includes(logicalId(stage.dataPlane.debeziumDatabaseSecret)))).toBe(true);
    expect(secured.some((s) => s.includes(logicalId(stage.dataPlane.schemaRegistryEndpointSecret)))).toBe(
      true,
    );
  });
});
