/**
 * Where the monitor's clients point: Kafka as the model's monitor principal, the schema registry,
 * and Kafka Connect's REST API (with basic auth when credentials exist).
 */
import * as fs from 'node:fs';
import type { KafkaConfig } from 'kafkajs';
import { z } from 'zod';
import { ConnectRestClient } from '@lakewall/connect-rest';
import {
  localStackCredentialsPath,
  localStackKafkaConfig,
  resolveConnection,
} from '@lakewall/kafka-connection';
import type { MonitorConfig } from './config';

export async function kafkaConfigFor(config: MonitorConfig, principal: string): Promise<KafkaConfig> {
  if (config.env === 'local') {
    return {
      ...localStackKafkaConfig(principal, {
        env: { LAKEWALL_STATE_DIR: config.localStateDir, ...config.connectionEnv },
      }),
      clientId: 'lakewall-cdc-monitor',
    };
  }
  const resolved = await resolveConnection({ clientId: 'lakewall-cdc-monitor' }, false, {
    env: config.connectionEnv,
  });
  return resolved.kafka;
}

/** The optional `connectRest` section of the local stack's credentials file: {user: password}. */
const LocalConnectRest = z.object({ connectRest: z.record(z.string(), z.string().min(1)).optional() });

/** Basic-auth credentials for Connect: the config's, else (locally) the stack's, else none. */
export function connectAuthFor(config: MonitorConfig): { username: string; password: string } | undefined {
  if (config.connectAuth) return { ...config.connectAuth };
  if (!config.localStateDir) return undefined;
  const file = localStackCredentialsPath(config.localStateDir);
  if (!fs.existsSync(file)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  const parsed = LocalConnectRest.safeParse(json);
  const users = parsed.success ? Object.entries(parsed.data.connectRest ?? {}) : [];
  const [username, password] = users[0] ?? [];
  return username && password ? { username, password } : undefined;
}

export function connectClientFor(config: MonitorConfig): ConnectRestClient | undefined {
  if (!config.connectUrl) return undefined;
  const auth = connectAuthFor(config);
  return new ConnectRestClient({ baseUrl: config.connectUrl, timeoutMs: 5000, ...(auth ? { auth } : {}) });
}
