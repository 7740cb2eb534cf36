/** Test helper process: takes the cluster lock (short session) and holds it until it is killed. */
import { localStackKafkaConfig } from '@lakewall/kafka-connection';
import { acquireClusterLock, openSession } from '../src';

async function main(): Promise<void> {
  const session = await openSession({ kafka: localStackKafkaConfig('admin') });
  await acquireClusterLock(session.kafka, session.admin, {
    name: process.argv[2],
    replicationFactor: 1,
    sessionTimeoutMs: 6000,
  });
  process.stdout.write('locked\n');
  setInterval(() => undefined, 60_000);
}
void main();
