/**
 * The collector against the real broker, compared with Kafka's own consumer-group tool for the same
 * group at the same moment (nothing moves between the two reads).
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { localStackKafkaConfig } from '@lakewall/kafka-connection';
import { cleanupPrefix, testPrefix } from '@lakewall/topic-admin/testing';
import { LagCollector } from '../src';
import { describeGroup } from '../src/testing';

const prefix = testPrefix('lag');
const topic = `${prefix}orders`;
const group = `lag-it-${randomBytes(3).toString('hex')}`;
const kafka = new Kafka({ ...localStackKafkaConfig('admin'), logLevel: logLevel.NOTHING });
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  const producer = kafka.producer();
  await producer.connect();
  for (const [partition, n] of [
    [0, 30],
    [1, 20],
    [2, 10],
  ] as const)
    await producer.send({
      topic,
      messages: Array.from({ length: n }, (_, i) => ({ partition, value: `r${i}` })),
    });
  await producer.disconnect();
  // A group without members: offsets committed, nobody consuming. Partition 2 has no commit.
  await admin.setOffsets({
    groupId: group,
    topic,
    partitions: [
      { partition: 0, offset: '10' },
      { partition: 1, offset: '20' },
    ],
  });
});

afterAll(async () => {
  await admin.deleteGroups([group]).catch(() => undefined);
  await admin.disconnect();
  await cleanupPrefix(prefix);
});

describe('lag collection against the real broker', () => {
  it('equals kafka-consumer-groups for the same group, and keeps a group without members', async () => {
    const collector = new LagCollector({ admin, knownGroups: [group] });
    const snapshot = await collector.collectOnce();
    const tool = describeGroup(group);

    const mine = snapshot.groups.find((g) => g.group === group)!;
    expect(mine.members).toBe(0);
    expect(tool.filter((r) => r.current !== undefined)).toHaveLength(2);
    for (const row of tool.filter((r) => r.current !== undefined)) {
      const p = mine.partitions.find((x) => x.topic === row.topic && x.partition === row.partition)!;
      expect({ committed: p.committed, logEnd: p.logEnd, lag: p.lag }).toEqual({
        committed: row.current,
        logEnd: row.logEnd,
        lag: row.lag,
      });
    }
    // Partition 2 has no committed offset: the tool shows '-', the collector exports nothing for it.
    expect(mine.partitions.some((p) => p.partition === 2)).toBe(false);
    const heads = snapshot.topicPartitions
      .filter((p) => p.topic === topic)
      .map((p) => [p.partition, p.oldest, p.current]);
    expect(heads).toEqual([
      [0, 0, 30],
      [1, 0, 20],
      [2, 0, 10],
    ]);
  });

  it('never exports a negative lag (a committed offset past the head reads as 0)', async () => {
    await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 1, offset: '25' }] });
    const snapshot = await new LagCollector({ admin, knownGroups: [group] }).collectOnce();
    const p1 = snapshot.groups[0]!.partitions.find((p) => p.partition === 1)!;
    expect(p1.committed).toBe(25);
    expect(p1.lag).toBe(0);
    expect(p1.lagSeconds).toBe(0);
  });

  it('reports a known group Kafka does not list, and one matched by a pattern', async () => {
    const ghost = `${group}-never-used`;
    const snapshot = await new LagCollector({
      admin,
      knownGroups: [ghost],
      groupPatterns: [new RegExp(`^${group}$`)],
    }).collectOnce();
    expect(snapshot.groups.map((g) => g.group).sort()).toEqual([group, ghost].sort());
    expect(snapshot.groups.find((g) => g.group === ghost)).toMatchObject({
      members: 0,
      partitions: [],
      status: 'OK',
    });
  });
});
