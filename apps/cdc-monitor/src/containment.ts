/**
 * Containment: on a finding, stop the public zone's sink connector through Kafka Connect's REST
 * API (KIP-875), so a leaked record never reaches a lake commit. The monitor never resumes a
 * connector: that is an operator's act (Connect's resume brings a stopped connector back).
 *
 * Stop, not pause: a paused Iceberg sink task is still handed empty batches and keeps answering
 * its coordinator, so it commits the records it had already received (a leak included) at the next
 * commit. A stopped connector's tasks are shut down; the data files they had not committed are
 * never added to a table, and its consumer offsets stay before the leak.
 *
 * Whether to act is decided by the connector's state in Connect, never by a timer: a cooldown
 * after the last action would leave a window in which an operator's resume (or a re-created
 * connector) lets further leaked records through unchallenged.
 */
import type { Logger } from 'pino';
import type { ConnectRestClient } from '@lakewall/connect-rest';
import type { Finding } from '@lakewall/record-checker';
import type { MonitorMetrics } from './metrics';

/** How long a stop may take to reach the connector and its tasks before it counts as sent only. */
export const CONTAINMENT_SETTLE_MS = 5000;
const SETTLE_POLL_MS = 100;
/** The `action` label of `lakewall_monitor_containment_actions_total`. */
export const CONTAINMENT_ACTION = 'stop';

export interface ContainmentOptions {
  readonly enabled: boolean;
  readonly connector?: string;
  readonly client?: ConnectRestClient;
  readonly metrics: MonitorMetrics;
  readonly log: Logger;
  /** @default CONTAINMENT_SETTLE_MS */
  readonly settleMs?: number;
}

export class Containment {
  private inFlight: Promise<void> | undefined;
  private warnedOff = false;

  constructor(private readonly o: ContainmentOptions) {}

  /**
   * Stops the connector for a finding unless Connect already reports it stopped or paused; resolves
   * once the stop has settled (or failed). Findings that arrive meanwhile share that one action. Never throws.
   */
  async contain(finding: Finding): Promise<void> {
    const { connector, client } = this.o;
    if (!this.o.enabled || !connector || !client) {
      if (!this.warnedOff) {
        this.warnedOff = true;
        this.o.log.warn(
          { connector: connector ?? null, enabled: this.o.enabled },
          'containment is off for this environment (or no connector/Connect URL): findings are only reported',
        );
      }
      return;
    }
    this.inFlight ??= this.containOnce(connector, client, finding).finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async containOnce(connector: string, client: ConnectRestClient, finding: Finding): Promise<void> {
    const labels = { connector, action: CONTAINMENT_ACTION };
    try {
      if (await isStopped(client, connector)) return;
      await client.stopConnector(connector);
      this.o.metrics.containmentActions.inc({ ...labels, result: 'success' });
      this.o.log.warn(
        { connector, action: CONTAINMENT_ACTION, cause: finding.kind, topic: finding.topic },
        'connector stopped',
      );
      await this.settle(client, connector);
    } catch (e) {
      this.o.metrics.containmentActions.inc({ ...labels, result: 'failure' });
      this.o.log.error(
        { connector, action: CONTAINMENT_ACTION, error: (e as Error).message },
        'stopping the connector failed',
      );
    }
  }

  /** Waits until Connect reports the stop, so the findings behind this one see it and do not repeat it. */
  private async settle(client: ConnectRestClient, connector: string): Promise<void> {
    const until = Date.now() + (this.o.settleMs ?? CONTAINMENT_SETTLE_MS);
    while (Date.now() < until) {
      if (await isStopped(client, connector)) return;
      await new Promise((r) => setTimeout(r, SETTLE_POLL_MS));
    }
    this.o.log.warn({ connector }, 'the stop was accepted but Connect does not report it yet');
  }
}

/**
 * Contained means stopped (by this monitor or an operator). A paused connector is not: its tasks
 * still commit what they hold, so it is stopped too. A missing connector has nothing to stop.
 */
async function isStopped(client: ConnectRestClient, connector: string): Promise<boolean> {
  const status = await client.connectorStatus(connector);
  if (!status) throw new Error(`connector ${connector} does not exist`);
  return status.connector.state === 'STOPPED';
}
