/**
 * Containment: on a finding, pause the public zone's sink connector through Kafka Connect's REST
 * API, so a leaked record stops before the sink commits it to the lake. The monitor never resumes
 * a connector: that is an operator's act.
 */
import type { Logger } from 'pino';
import type { ConnectRestClient } from '@lakewall/connect-rest';
import type { Finding } from '@lakewall/record-checker';
import type { MonitorMetrics } from './metrics';

/** A successful pause is not repeated for further findings within this window. */
export const REPAUSE_AFTER_MS = 5000;

export interface ContainmentOptions {
  readonly enabled: boolean;
  readonly connector?: string;
  readonly client?: ConnectRestClient;
  readonly metrics: MonitorMetrics;
  readonly log: Logger;
  readonly now?: () => number;
  /** Told of each successful pause, so the pause is on record for whoever resumes the sink. */
  readonly onContained?: (connector: string, finding: Finding) => Promise<void>;
}

export class Containment {
  private inFlight: Promise<void> | undefined;
  private lastPausedAt = -Infinity;
  private warnedOff = false;
  private readonly now: () => number;

  constructor(private readonly o: ContainmentOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Pauses the connector for a finding; resolves once the pause was sent (or failed). Never throws. */
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
    if (this.inFlight) return this.inFlight;
    if (this.now() - this.lastPausedAt < REPAUSE_AFTER_MS) return;
    this.inFlight = this.pause(connector, client, finding).finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async pause(connector: string, client: ConnectRestClient, finding: Finding): Promise<void> {
    const labels = { connector, action: 'pause' };
    try {
      await client.pauseConnector(connector);
      this.lastPausedAt = this.now();
      this.o.metrics.containmentActions.inc({ ...labels, result: 'success' });
      this.o.log.warn(
        { connector, action: 'pause', cause: finding.kind, topic: finding.topic },
        'connector paused',
      );
    } catch (e) {
      this.o.metrics.containmentActions.inc({ ...labels, result: 'failure' });
      this.o.log.error(
        { connector, action: 'pause', error: (e as Error).message },
        'pausing the connector failed',
      );
      return;
    }
    try {
      await this.o.onContained?.(connector, finding);
    } catch (e) {
      // The sink stays paused, and the finding itself is on record (it is written first), which is
      // enough for the admin API to refuse an unreviewed resume.
      this.o.log.error({ connector, error: (e as Error).message }, 'recording the containment failed');
    }
  }
}
