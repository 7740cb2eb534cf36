import { HOST } from './ports';
import { sleep } from './proc';

export interface ConnectorStatus {
  name: string;
  connector: { state: string; worker_id?: string; trace?: string };
  tasks: { id: number; state: string; worker_id?: string; trace?: string }[];
}

export class ConnectRestClient {
  constructor(readonly baseUrl: string) {}

  private async request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let json: unknown = text;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      /* keep text */
    }
    return { status: res.status, json };
  }

  /** Creates or updates a connector (PUT /connectors/<name>/config). Retries while the worker is rebalancing (409). */
  async upsertConnector(name: string, config: Record<string, string>): Promise<void> {
    const until = Date.now() + 60_000;
    for (;;) {
      const r = await this.request('PUT', `/connectors/${encodeURIComponent(name)}/config`, {
        ...config,
        name,
      });
      if (r.status === 200 || r.status === 201) return;
      if (r.status === 409 && Date.now() < until) {
        await sleep(1000);
        continue;
      }
      throw new Error(`PUT connector ${name} -> HTTP ${r.status}: ${redact(JSON.stringify(r.json))}`);
    }
  }

  async connectorStatus(name: string): Promise<ConnectorStatus | undefined> {
    const r = await this.request('GET', `/connectors/${encodeURIComponent(name)}/status`);
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new Error(`GET connector status ${name} -> HTTP ${r.status}`);
    return r.json as ConnectorStatus;
  }

  async deleteConnector(name: string): Promise<void> {
    const r = await this.request('DELETE', `/connectors/${encodeURIComponent(name)}`);
    if (r.status !== 204 && r.status !== 404) throw new Error(`DELETE connector ${name} -> HTTP ${r.status}`);
  }

  /** Waits until the connector and all of its tasks (at least one) are RUNNING; fails fast on FAILED. */
  async waitForConnectorRunning(name: string, timeoutMs = 120_000): Promise<ConnectorStatus> {
    const until = Date.now() + timeoutMs;
    let last: ConnectorStatus | undefined;
    while (Date.now() < until) {
      last = await this.connectorStatus(name).catch(() => undefined);
      if (last) {
        const failed = [last.connector, ...last.tasks].find((s) => s.state === 'FAILED');
        if (failed)
          throw new Error(
            `connector ${name} FAILED:\n${(failed.trace ?? '').split('\n').slice(0, 15).join('\n')}`,
          );
        if (
          last.connector.state === 'RUNNING' &&
          last.tasks.length > 0 &&
          last.tasks.every((t) => t.state === 'RUNNING')
        )
          return last;
      }
      await sleep(1000);
    }
    throw new Error(
      `connector ${name} not RUNNING after ${timeoutMs / 1000}s (last status: ${JSON.stringify(last)})`,
    );
  }
}

/** Hides anything that looks like a password or JAAS config in error text. */
export function redact(text: string): string {
  return text
    .replace(/(password"?\s*[:=]\s*\\?"?)[^"\\,\s}]+/gi, '$1***')
    .replace(/(jaas\.config"?\s*[:=]\s*")[^"]*(")/gi, '$1***$2');
}

export function connectBaseUrl(port: number): string {
  return `http://${HOST}:${port}`;
}
