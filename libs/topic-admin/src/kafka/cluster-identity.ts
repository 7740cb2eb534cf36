/**
 * Which cluster an environment manages. topicctl checks that a cluster config and the cluster it
 * talks to agree; the bootstrapper does the same, so a plan for dev is never applied to prod.
 */
export interface ClusterIdentity {
  /** The cluster id describeCluster must report. */
  readonly id?: string;
  /** The bootstrap host the connection must use (the environment's stable endpoint). */
  readonly bootstrapHost?: string;
  /** Where the expectation comes from, for messages ("the local stack", "platform.yaml environments.dev"). */
  readonly source: string;
}

export class ClusterMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterMismatchError';
  }
}

function hostOf(broker: string): string {
  return broker.replace(/:\d+$/, '').toLowerCase();
}

/** Throws ClusterMismatchError unless the connection and the cluster are the ones the environment names. */
export function checkClusterIdentity(
  env: string,
  expected: ClusterIdentity | undefined,
  actual: { clusterId: string; brokers: readonly string[] },
): void {
  if (!expected || (!expected.id && !expected.bootstrapHost)) {
    throw new ClusterMismatchError(
      `env '${env}' names no Kafka cluster (set environments.${env}.kafka.cluster in the model); refusing to act on an unnamed cluster`,
    );
  }
  if (expected.bootstrapHost) {
    const want = expected.bootstrapHost.toLowerCase();
    const other = actual.brokers.filter((b) => hostOf(b) !== want);
    if (other.length > 0)
      throw new ClusterMismatchError(
        `env '${env}' manages the cluster at ${expected.bootstrapHost} (${expected.source}), but the connection uses ${other.join(',')}; refusing`,
      );
  }
  if (expected.id && expected.id !== actual.clusterId)
    throw new ClusterMismatchError(
      `env '${env}' manages cluster ${expected.id} (${expected.source}), but ${actual.brokers.join(',')} is cluster ${actual.clusterId}; refusing`,
    );
}
