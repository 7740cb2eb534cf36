/**
 * At-least-once: the monitor killed with SIGKILL mid-stream and restarted resumes from the offsets
 * it committed (which only ever cover checked records) and checks every record after them, to the end.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { deriveMonitorDeployment } from '@lakewall/platform-model';
import {
  applyModelTopics,
  metricNow,
  model,
  monitorPid,
  monitorReady,
  pollUntil,
  stackUp,
  withAdmin,
  withProducer,
} from './stack';
import { changeEvent, json } from './records';

const TOPIC = 'cdc.market_data.public';
const group = deriveMonitorDeployment(model, 'local').group;

async function committed(): Promise<Map<number, number>> {
  return withAdmin(async (a) => {
    const [t] = await a.fetchOffsets({ groupId: group, topics: [TOPIC] });
    return new Map(t!.partitions.map((p) => [p.partition, Math.max(0, Number(p.offset))]));
  });
}

async function ends(): Promise<Map<number, number>> {
  return withAdmin(
    async (a) => new Map((await a.fetchTopicOffsets(TOPIC)).map((p) => [p.partition, Number(p.high)])),
  );
}

beforeAll(async () => {
  await applyModelTopics();
  await monitorReady();
});

it('checks every record after a SIGKILL mid-stream: the restart resumes at the commit and reaches the end', async () => {
  const batch = (n: number) =>
    Array.from({ length: 50 }, (_, i) => ({
      key: json({ instrument_id: `I${n}-${i}`, quoted_at: 'T' }),
      value: changeEvent('market_data'),
    }));
  await withProducer(async (p) => {
    for (let n = 0; n < 10; n++) {
      await p.send({ topic: TOPIC, messages: batch(n) });
      await sleep(100);
    }
    const before = await metricNow('lakewall_monitor_records_checked_total', { topic: TOPIC });
    expect(before).toBeGreaterThan(0);
    process.kill(monitorPid(), 'SIGKILL');
    // Keep the stream going while the monitor is down.
    for (let n = 10; n < 20; n++) await p.send({ topic: TOPIC, messages: batch(n) });
  });

  const resumeFrom = await committed(); // the dead process can no longer commit: this is where the restart starts
  const end = await ends();
  const expected = [...end].reduce(
    (sum, [partition, high]) => sum + high - (resumeFrom.get(partition) ?? 0),
    0,
  );
  expect(expected).toBeGreaterThanOrEqual(500); // at least the records produced after the kill

  await stackUp();
  await monitorReady();
  await pollUntil(
    'the monitor group to commit up to the end of the topic',
    async () => {
      const c = await committed();
      return [...end].every(([partition, high]) => (c.get(partition) ?? 0) >= high) ? true : undefined;
    },
    120_000,
  );
  // The new process started at zero: it checked exactly the records between the commit and the end.
  expect(await metricNow('lakewall_monitor_records_checked_total', { topic: TOPIC })).toBe(expected);
});
