import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { loadPlatformModel } from '@lakewall/platform-model';
import { localConnectRestAuth } from '@lakewall/kafka-connection';
import { connectClient, connectUrl, kafkaClientConfig } from '../src/index';
import { connectSecretsDir } from '../src/components/connect';
import { requireCredentials, stackContext } from '../src/context';
import { allSecrets } from '../src/credentials';
import { registerDebezium } from '../src/cdc';
import { applyTopicsAndAcls } from '../src/topic-bootstrap';

const model = loadPlatformModel();
const ctx = stackContext();

/** Every record of Connect's config topic (keys and values as text), read as the local super user. */
async function readWholeConfigTopic(): Promise<string[]> {
  const topic = model.kafka.connect.configTopic;
  const kafka = new Kafka({ ...kafkaClientConfig('admin'), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const remaining = new Map(ends.filter((p) => Number(p.high) > 0).map((p) => [p.partition, Number(p.high)]));
  const records: string[] = [];
  if (remaining.size === 0) return records;
  const consumer = kafka.consumer({ groupId: `lakewall-config-audit-${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out reading ${topic}`)), 60_000);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            records.push(`${message.key?.toString('utf8') ?? ''}\n${message.value?.toString('utf8') ?? ''}`);
            if (Number(message.offset) + 1 >= (remaining.get(partition) ?? 0)) remaining.delete(partition);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

async function restGet(urlPath: string, auth?: { username: string; password: string }): Promise<Response> {
  const headers: Record<string, string> = {};
  if (auth)
    headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  return fetch(`${connectUrl()}${urlPath}`, { headers, signal: AbortSignal.timeout(10_000) });
}

function leakedSecrets(text: string): number {
  return allSecrets(requireCredentials(ctx)).filter((pw) => text.includes(pw)).length;
}

describe('Kafka Connect holds no secrets in clear', () => {
  let connector = '';
  beforeAll(async () => {
    await applyTopicsAndAcls(() => undefined);
    // The connector runs only if its ${file:...} references resolve inside the worker.
    connector = await registerDebezium(model);
  });

  it('keeps every password of the stack out of the whole Connect config topic', async () => {
    const records = await readWholeConfigTopic();
    const text = records.join('\n');
    // The audit read real connector configs: the connector and its provider references are there.
    expect(text).toContain(`connector-${connector}`);
    expect(text).toContain('${file:');
    expect(leakedSecrets(text)).toBe(0);
  });

  it('keeps every password of the stack out of the REST configs of every connector and task', async () => {
    const auth = localConnectRestAuth(requireCredentials(ctx));
    const names = await connectClient().listConnectors();
    expect(names).toContain(connector);
    for (const name of names) {
      const n = encodeURIComponent(name);
      for (const urlPath of [`/connectors/${n}/config`, `/connectors/${n}`, `/connectors/${n}/tasks`]) {
        const res = await restGet(urlPath, auth);
        expect(res.status).toBe(200);
        const body = await res.text();
        expect(body.length).toBeGreaterThan(2);
        expect(leakedSecrets(body)).toBe(0);
      }
    }
    const expanded = await (await restGet('/connectors?expand=info&expand=status', auth)).text();
    expect(expanded).toContain(connector);
    expect(leakedSecrets(expanded)).toBe(0);
  });

  it('answers 401 to REST calls without credentials or with a wrong password', async () => {
    const n = encodeURIComponent(connector);
    for (const urlPath of ['/', '/connectors', `/connectors/${n}/config`, `/connectors/${n}/status`]) {
      expect((await restGet(urlPath)).status).toBe(401);
      expect((await restGet(urlPath, { username: 'admin', password: 'not-the-password' })).status).toBe(401);
    }
    const put = await fetch(`${connectUrl()}/connectors/${n}/pause`, {
      method: 'PUT',
      signal: AbortSignal.timeout(10_000),
    });
    expect(put.status).toBe(401);
    expect((await connectClient().connectorStatus(connector))?.connector.state).toBe('RUNNING');
  });

  it('keeps the secret files readable by the Connect process owner only', () => {
    const dir = connectSecretsDir(ctx.state);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const files = fs.readdirSync(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
  });
});
