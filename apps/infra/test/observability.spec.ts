import { Template } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAll, CLOUD_ENVIRONMENTS, logicalId } from './fixtures';
import { OBSERVABILITY_PORTS, alertmanagerConfig, prometheusConfig } from '../src/stacks/observability';

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Resource = { Type: string; Properties: Props };

describe('Prometheus and Alertmanager configuration', () => {
  const config = parse(
    prometheusConfig(
      'dev',
      { monitor: 'monitor.ns', alertmanager: 'alertmanager.ns' },
      ['10.0.0.1', '10.0.0.2'],
      19400,
    ),
  );

  it('scrapes the monitor under the job name its rules expect', () => {
    const rules = readFileSync(join(__dirname, '../../cdc-monitor/prometheus/alerts.rules.yml'), 'utf8');
    const jobs = [...rules.matchAll(/job="([^"]+)"/g)].map((m) => m[1]);
    expect(jobs.length).toBeGreaterThan(0);
    const names = config.scrape_configs.map((s: Props) => s.job_name);
    for (const job of jobs) expect(names).toContain(job);
    const monitor = config.scrape_configs.find((s: Props) => s.job_name === 'cdc-monitor');
    expect(monitor.dns_sd_configs).toEqual([{ names: ['monitor.ns'], type: 'A', port: 19400 }]);
  });

  it('scrapes both MSK open-monitoring exporters on every broker', () => {
    const targets = (job: string) =>
      config.scrape_configs.find((s: Props) => s.job_name === job).static_configs[0].targets;
    expect(targets('msk-jmx')).toEqual(['10.0.0.1:11001', '10.0.0.2:11001']);
    expect(targets('msk-node')).toEqual(['10.0.0.1:11002', '10.0.0.2:11002']);
  });

  it('loads the rules copied into the image and sends alerts to Alertmanager', () => {
    expect(config.rule_files).toEqual(['/etc/lakewall/rules/*.rules.yml']);
    const dockerfile = readFileSync(join(__dirname, '../images/prometheus/Dockerfile'), 'utf8');
    expect(dockerfile).toContain('apps/cdc-monitor/prometheus/alerts.rules.yml');
    expect(config.alerting.alertmanagers[0].dns_sd_configs[0]).toEqual({
      names: ['alertmanager.ns'],
      type: 'A',
      port: OBSERVABILITY_PORTS.alertmanager,
    });
  });

  it("routes every alert to the topic without the alerts' labels in the notification", () => {
    const am = parse(alertmanagerConfig('arn:aws:sns:us-east-1:111111111111:alerts', 'us-east-1'));
    expect(am.route.receiver).toBe('alert-topic');
    const sns = am.receivers[0].sns_configs[0];
    expect(sns.topic_arn).toBe('arn:aws:sns:us-east-1:111111111111:alerts');
    expect(sns.sigv4).toEqual({ region: 'us-east-1' });
    // Only the alert name and environment: a topic or table label never reaches a subscriber.
    const labels = [...`${sns.subject} ${sns.message}`.matchAll(/CommonLabels\.(\w+)/g)].map((m) => m[1]);
    expect(new Set(labels)).toEqual(new Set(['alertname', 'environment']));
    expect(`${sns.subject} ${sns.message}`).not.toMatch(/\.Labels|\.Annotations|topic|table/);
  });
});

describe.each(CLOUD_ENVIRONMENTS)('Prometheus and Alertmanager in %s', (env) => {
  const { model, stages } = buildAll();
  const stage = stages.get(env)!;
  const { observability, monitor } = stage.dataPlane.services;
  const template = Template.fromStack(stage.dataPlane);
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const sizes = model.environments[env].services!;
  const ofType = (type: string) => Object.values(resources).filter((r) => r.Type === type);
  const ingressTo = (sgId: string) =>
    ofType('AWS::EC2::SecurityGroupIngress')
      .map((r) => r.Properties)
      .filter((p) => JSON.stringify(p.GroupId).includes(`"${sgId}"`));
  const sgOf = (id: string) => ({ 'Fn::GetAtt': [id, 'GroupId'] });

  it('keeps the TSDB on an encrypted EFS access point, mounted with TLS and IAM', () => {
    const fs = resources[logicalId(observability.prometheusData)]!.Properties;
    expect(fs.Encrypted).toBe(true);
    expect(fs.KmsKeyId).toEqual({ 'Fn::GetAtt': [logicalId(stage.dataPlane.key), 'Arn'] });
    const task = resources[logicalId(observability.prometheus.taskDefinition)]!.Properties;
    const data = task.Volumes.find((v: Props) => v.Name === 'data');
    expect(data.EFSVolumeConfiguration).toMatchObject({
      TransitEncryption: 'ENABLED',
      AuthorizationConfig: { IAM: 'ENABLED' },
    });
    const container = task.ContainerDefinitions[0];
    expect(container.MountPoints).toContainEqual({
      SourceVolume: 'data',
      ContainerPath: '/prometheus',
      ReadOnly: false,
    });
    expect(container.ReadonlyRootFilesystem).toBe(true);
    expect(container.User).toBe('65534');
  });

  it('runs one Prometheus and stops the old one before starting a new one (one TSDB writer)', () => {
    const svc = resources[logicalId(observability.prometheus.service)]!.Properties;
    expect(svc.DesiredCount).toBe(1);
    expect(svc.DeploymentConfiguration).toMatchObject({ MinimumHealthyPercent: 0, MaximumPercent: 100 });
    const task = resources[logicalId(observability.prometheus.taskDefinition)]!.Properties;
    expect(task.Cpu).toBe(String(sizes.prometheus.size.cpu));
    const envVars = Object.fromEntries(
      task.ContainerDefinitions[0].Environment.map((e: Props) => [e.Name, e.Value]),
    );
    expect(envVars.LAKEWALL_PROMETHEUS_RETENTION).toBe(`${sizes.prometheus.retentionDays}d`);
  });

  it('lets Prometheus reach the monitor, Alertmanager, EFS and the MSK exporters, and nothing else', () => {
    const prom = logicalId(observability.prometheus.securityGroup);
    expect(ingressTo(logicalId(monitor.securityGroup))).toEqual([
      expect.objectContaining({ FromPort: 19400, SourceSecurityGroupId: sgOf(prom) }),
    ]);
    expect(ingressTo(logicalId(observability.alertmanager.securityGroup))).toEqual([
      expect.objectContaining({ FromPort: 9093, SourceSecurityGroupId: sgOf(prom) }),
    ]);
    const egress = ofType('AWS::EC2::SecurityGroupEgress')
      .map((r) => r.Properties)
      .filter((p) => JSON.stringify(p.GroupId).includes(`"${prom}"`))
      .map((p) => p.FromPort)
      .sort((a, b) => a - b);
    expect(egress).toEqual([443, 2049, 9093, 11001, 11002, 19400]);
  });

  it('publishes alerts to an encrypted topic whose policy names Alertmanager, with an encrypted DLQ', () => {
    const alerts = observability.alerts;
    const topic = resources[logicalId(alerts.topic)]!.Properties;
    expect(topic.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [logicalId(alerts.key), 'Arn'] });
    const queue = resources[logicalId(alerts.deadLetterQueue)]!.Properties;
    expect(queue.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [logicalId(alerts.key), 'Arn'] });
    const policy = ofType('AWS::SNS::TopicPolicy')
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .find((s: Props) => s.Sid === 'AllowAlertPublisher');
    expect(policy.Principal.AWS).toEqual({
      'Fn::GetAtt': [logicalId(observability.alertmanager.taskRole), 'Arn'],
    });
    for (const sub of ofType('AWS::SNS::Subscription')) {
      expect(JSON.stringify(sub.Properties.RedrivePolicy)).toContain(logicalId(alerts.deadLetterQueue));
    }
    expect(ofType('AWS::SNS::Subscription')).toHaveLength(sizes.alertmanager.emails.length);
    // SNS may move undeliverable notifications to the queue, for this topic only.
    const queuePolicy = ofType('AWS::SQS::QueuePolicy').flatMap((p) => p.Properties.PolicyDocument.Statement);
    const fromSns = queuePolicy.find((s: Props) => s.Principal?.Service === 'sns.amazonaws.com');
    expect(fromSns.Condition.ArnEquals['aws:SourceArn']).toEqual({ Ref: logicalId(alerts.topic) });
  });

  it("gives Alertmanager's role publish on its topic and exact key actions, nothing else", () => {
    const role = logicalId(observability.alertmanager.taskRole);
    const statements = ofType('AWS::IAM::Policy')
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${role}"`))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements.flatMap((s: Props) => [s.Action].flat()).sort()).toEqual([
      'kms:Decrypt',
      'kms:GenerateDataKey',
      'sns:Publish',
    ]);
  });
});
