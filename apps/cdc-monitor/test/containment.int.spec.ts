/**
 * Containment: a real sink connector (Kafka's FileStreamSink, registered under the public sink's
 * model-derived name and reading the public topics as the public sink's principal) is paused
 * through Connect's REST API when a leak is found. (The lake's own proof, "contained before the
 * Iceberg commit", needs the Iceberg sink on this stack.)
 */
import * as path from 'node:path';
import { deriveMonitorDeployment, deriveSinks } from '@lakewall/platform-model';
import { readLocalStackCredentials } from '@lakewall/kafka-connection';
import {
  applyModelTopics,
  config,
  connectClient,
  metricNow,
  model,
  monitorReady,
  pollUntil,
  stateDir,
  withProducer,
} from './stack';
import { changeEvent, json } from './records';

const deployment = deriveMonitorDeployment(model, 'local');
const sink = deriveSinks(model, 'local').find((s) => s.zone === 'public')!;
const connector = deployment.publicSinkConnector!;

function fileSinkConfig(): Record<string, string> {
  const password = readLocalStackCredentials()!.kafka[sink.principal]!;
  return {
    'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
    'tasks.max': '1',
    topics: sink.topics.join(','),
    file: path.join(stateDir, 'monitor', `containment-it-${Date.now()}.out`),
    'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    'consumer.override.security.protocol': 'SASL_PLAINTEXT',
    'consumer.override.sasl.mechanism': 'SCRAM-SHA-512',
    'consumer.override.sasl.jaas.config': `org.apache.kafka.common.security.scram.ScramLoginModule required username="${sink.principal}" password="${password}";`,
  };
}

beforeAll(async () => {
  expect(config.connectUrl).toBeDefined();
  await applyModelTopics();
  await monitorReady();
});

afterAll(async () => {
  await connectClient().deleteConnector(connector);
});

describe('containment', () => {
  it('pauses the public sink connector on a leak and counts the action', async () => {
    const connect = connectClient();
    await connect.deleteConnector(connector);
    await connect.upsertConnector(connector, fileSinkConfig());
    await connect.waitForConnectorRunning(connector, 120_000);
    const labels = { connector, action: 'pause', result: 'success' };
    const paused0 = await metricNow('lakewall_monitor_containment_actions_total', labels);

    await withProducer((p) =>
      p.send({
        topic: 'cdc.market_data.public',
        messages: [{ key: json({ order_id: 1 }), value: changeEvent('orders') }],
      }),
    );

    const status = await connect.waitForState(connector, 'PAUSED', 60_000);
    expect(status.connector.state).toBe('PAUSED');
    expect(status.tasks.every((t) => t.state === 'PAUSED')).toBe(true);
    await pollUntil('the containment counter', async () =>
      (await metricNow('lakewall_monitor_containment_actions_total', labels)) > paused0 ? true : undefined,
    );
    expect(await metricNow('lakewall_monitor_containment_actions_total', labels)).toBe(paused0 + 1);
  });
});
