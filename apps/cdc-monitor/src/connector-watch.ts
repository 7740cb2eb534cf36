/**
 * Reads the sink connectors' state from Kafka Connect's REST API in the background, for the
 * "sink connector failed or paused" alert (a pause by containment included: resuming is an
 * operator's act, so it must be seen).
 */
import type { Logger } from 'pino';
import type { ConnectRestClient } from '@lakewall/connect-rest';

export const CONNECTOR_STATES = [
  'RUNNING',
  'PAUSED',
  'FAILED',
  'UNASSIGNED',
  'RESTARTING',
  'STOPPED',
  'MISSING',
  'UNKNOWN',
] as const;
export type ConnectorState = (typeof CONNECTOR_STATES)[number];

export interface ConnectorView {
  readonly state: ConnectorState;
  readonly failedTasks: number;
}

export class ConnectorWatch {
  private readonly views = new Map<string, ConnectorView>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: ConnectRestClient,
    private readonly connectors: readonly string[],
    private readonly log: Logger,
  ) {}

  snapshot(): ReadonlyMap<string, ConnectorView> {
    return this.views;
  }

  async poll(): Promise<void> {
    await Promise.all(
      this.connectors.map(async (name) => {
        try {
          const s = await this.client.connectorStatus(name);
          const state = (CONNECTOR_STATES as readonly string[]).includes(s?.connector.state ?? '')
            ? (s!.connector.state as ConnectorState)
            : s
              ? 'UNKNOWN'
              : 'MISSING';
          this.views.set(name, {
            state,
            failedTasks: s?.tasks.filter((t) => t.state === 'FAILED').length ?? 0,
          });
        } catch (e) {
          this.views.set(name, { state: 'UNKNOWN', failedTasks: 0 });
          this.log.warn(
            { connector: name, error: (e as Error).message },
            'reading the connector status failed',
          );
        }
      }),
    );
  }

  start(intervalMs: number): void {
    const tick = () => {
      void this.poll().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, intervalMs);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
