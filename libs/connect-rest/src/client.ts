import { setTimeout as sleep } from 'node:timers/promises';
import { redact } from './redact';

export interface ConnectorState {
  readonly state: string;
  readonly worker_id?: string;
  readonly trace?: string;
}

export interface ConnectorStatus {
  readonly name: string;
  readonly connector: ConnectorState;
  readonly tasks: readonly (ConnectorState & { readonly id: number })[];
}

export interface ConnectRestOptions {
  /** e.g. http://127.0.0.1:18083 */
  readonly baseUrl: string;
  /** HTTP basic auth for Connect's BasicAuthSecurityRestExtension. */
  readonly auth?: { readonly username: string; readonly password: string };
  /** Per-request timeout. @default 30000 */
  readonly timeoutMs?: number;
}

export class ConnectRestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ConnectRestError';
  }
}

/** A small client for the Kafka Connect REST API: what the stack, the monitor and the admin API need. */
export class ConnectRestClient {
  readonly baseUrl: string;
  private readonly authHeader?: string;
  private readonly timeoutMs: number;

  constructor(opts: ConnectRestOptions | string) {
    const o = typeof opts === 'string' ? { baseUrl: opts } : opts;
    this.baseUrl = o.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = o.timeoutMs ?? 30_000;
    if (o.auth)
      this.authHeader = `Basic ${Buffer.from(`${o.auth.username}:${o.auth.password}`).toString('base64')}`;
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.authHeader) headers.authorization = this.authHeader;
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    let json: unknown = text;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      /* keep text */
    }
    if (res.status === 401 || res.status === 403)
      throw new ConnectRestError(
        `${method} ${path} -> HTTP ${res.status}: Connect REST refused the credentials`,
        res.status,
      );
    return { status: res.status, json };
  }

  private fail(what: string, r: { status: number; json: unknown }): never {
    throw new ConnectRestError(`${what} -> HTTP ${r.status}: ${redact(JSON.stringify(r.json))}`, r.status);
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
      this.fail(`PUT connector ${name}`, r);
    }
  }

  async listConnectors(): Promise<string[]> {
    const r = await this.request('GET', '/connectors');
    if (r.status !== 200) this.fail('GET connectors', r);
    return r.json as string[];
  }

  async connectorStatus(name: string): Promise<ConnectorStatus | undefined> {
    const r = await this.request('GET', `/connectors/${encodeURIComponent(name)}/status`);
    if (r.status === 404) return undefined;
    if (r.status !== 200) this.fail(`GET connector status ${name}`, r);
    return r.json as ConnectorStatus;
  }

  /** The connector's config as Connect stores it (callers showing it must redactConfig it). */
  async connectorConfig(name: string): Promise<Record<string, string> | undefined> {
    const r = await this.request('GET', `/connectors/${encodeURIComponent(name)}/config`);
    if (r.status === 404) return undefined;
    if (r.status !== 200) this.fail(`GET connector config ${name}`, r);
    return r.json as Record<string, string>;
  }

  async deleteConnector(name: string): Promise<void> {
    const r = await this.request('DELETE', `/connectors/${encodeURIComponent(name)}`);
    if (r.status !== 204 && r.status !== 404) this.fail(`DELETE connector ${name}`, r);
  }

  /** PUT /connectors/<name>/pause (202). Pausing stops its tasks from consuming; offsets stay. */
  async pauseConnector(name: string): Promise<void> {
    const r = await this.request('PUT', `/connectors/${encodeURIComponent(name)}/pause`);
    if (r.status !== 202) this.fail(`PAUSE connector ${name}`, r);
  }

  async resumeConnector(name: string): Promise<void> {
    const r = await this.request('PUT', `/connectors/${encodeURIComponent(name)}/resume`);
    if (r.status !== 202) this.fail(`RESUME connector ${name}`, r);
  }

  /** PUT /connectors/<name>/stop (KIP-875): tasks shut down, config kept; the state offsets can be altered in. */
  async stopConnector(name: string): Promise<void> {
    const r = await this.request('PUT', `/connectors/${encodeURIComponent(name)}/stop`);
    if (r.status !== 202 && r.status !== 204) this.fail(`STOP connector ${name}`, r);
  }

  /**
   * PATCH /connectors/<name>/offsets (KIP-875) for a sink: moves its consumer group to the given
   * offsets. Connect accepts it only while the connector is STOPPED.
   */
  async alterSinkOffsets(
    name: string,
    offsets: readonly { topic: string; partition: number; offset: number }[],
  ): Promise<void> {
    const r = await this.request('PATCH', `/connectors/${encodeURIComponent(name)}/offsets`, {
      offsets: offsets.map((o) => ({
        partition: { kafka_topic: o.topic, kafka_partition: o.partition },
        offset: { kafka_offset: o.offset },
      })),
    });
    if (r.status !== 200) this.fail(`PATCH offsets of connector ${name}`, r);
  }

  /** POST /connectors/<name>/restart with Connect's includeTasks/onlyFailed (KIP-745). */
  async restartConnector(
    name: string,
    opts: { includeTasks?: boolean; onlyFailed?: boolean } = {},
  ): Promise<ConnectorStatus | undefined> {
    const q = `includeTasks=${opts.includeTasks ?? false}&onlyFailed=${opts.onlyFailed ?? false}`;
    const r = await this.request('POST', `/connectors/${encodeURIComponent(name)}/restart?${q}`);
    if (r.status === 202) return r.json as ConnectorStatus;
    if (r.status === 204) return undefined;
    this.fail(`RESTART connector ${name}`, r);
  }

  /** Waits until the connector and all of its tasks (at least one) are RUNNING; fails fast on FAILED. */
  async waitForConnectorRunning(name: string, timeoutMs = 120_000): Promise<ConnectorStatus> {
    return this.waitForState(name, 'RUNNING', timeoutMs);
  }

  /** Waits until the connector and all of its tasks reach `state`; fails fast on FAILED (unless stopping). */
  async waitForState(
    name: string,
    state: 'RUNNING' | 'PAUSED' | 'STOPPED',
    timeoutMs = 120_000,
  ): Promise<ConnectorStatus> {
    const until = Date.now() + timeoutMs;
    let last: ConnectorStatus | undefined;
    while (Date.now() < until) {
      last = await this.connectorStatus(name).catch((e: unknown) => {
        if (e instanceof ConnectRestError && (e.status === 401 || e.status === 403)) throw e;
        return undefined;
      });
      if (last) {
        const failed = [last.connector, ...last.tasks].find((s) => s.state === 'FAILED');
        // Stopping is how a failed connector is taken out of service: its failed tasks are expected.
        if (failed && state !== 'STOPPED')
          throw new Error(
            `connector ${name} FAILED:\n${redact((failed.trace ?? '').split('\n').slice(0, 15).join('\n'))}`,
          );
        if (
          last.connector.state === state &&
          // A stopped connector has no tasks at all; a running or paused one has at least one.
          (state === 'STOPPED' || last.tasks.length > 0) &&
          last.tasks.every((t) => t.state === state)
        )
          return last;
      }
      await sleep(1000);
    }
    throw new Error(
      `connector ${name} not ${state} after ${timeoutMs / 1000}s (last status: ${redact(JSON.stringify(last))})`,
    );
  }
}
