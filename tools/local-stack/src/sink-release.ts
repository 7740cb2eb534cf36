/**
 * Puts a sink back in service past every record its topics hold now: stop it (a failed or contained
 * sink included), move its consumer group to the topics' end offsets, resume it. What an operator
 * does once a leak or a record the sink could not write has been dealt with; the skipped records
 * stay in Kafka for review. Connect moves a sink's offsets only while it is stopped.
 */
import { Kafka, logLevel } from 'kafkajs';
import { deriveSinks, type PlatformModel, type ZoneName } from '@lakewall/platform-model';
import { connectClient, kafkaClientConfig } from './index';
import { LOCAL_ENV } from './context';

export async function releaseSinkPastEnd(model: PlatformModel, zone: ZoneName): Promise<void> {
  const sink = deriveSinks(model, LOCAL_ENV).find((s) => s.zone === zone);
  if (!sink) throw new Error(`the model has no sink for zone ${zone}`);
  const connect = connectClient();
  const admin = new Kafka({ ...kafkaClientConfig('admin'), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await connect.stopConnector(sink.connectorName);
    await connect.waitForState(sink.connectorName, 'STOPPED', 60_000);
    const offsets = [];
    for (const topic of sink.topics)
      for (const p of await admin.fetchTopicOffsets(topic))
        offsets.push({ topic, partition: p.partition, offset: Number(p.high) });
    await connect.alterSinkOffsets(sink.connectorName, offsets);
    await connect.resumeConnector(sink.connectorName);
    await connect.waitForConnectorRunning(sink.connectorName, 120_000);
  } finally {
    await admin.disconnect();
  }
}
