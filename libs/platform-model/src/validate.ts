import { debeziumHeartbeatTopic } from './derive/debezium';
import type { PlatformModel, PrincipalSpec, ZoneName } from './schema';

/** One problem in the model, located by its path inside the YAML document. */
/**
 * Kafka lines Amazon MSK offers for new clusters and supports through 2026 (3.6 and 3.7 reach end of
 * support). The model's Kafka version runs both locally and on MSK, so it must be one of these.
 */
export const MSK_KAFKA_LINES = ['3.8', '3.9', '4.0', '4.1'] as const;

export interface ModelIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * Rules that relate one part of the model to another. Every rule runs and every violation is
 * returned, so that a reviewer sees all that is wrong with a change at once.
 */
export function validateModelSemantics(model: PlatformModel): ModelIssue[] {
  const issues: ModelIssue[] = [];
  const add = (path: (string | number)[], message: string) => issues.push({ path, message });

  for (const [tableName, table] of Object.entries(model.tables)) {
    const seen = new Set<string>();
    table.columns.forEach((column, i) => {
      if (seen.has(column.name))
        add(['tables', tableName, 'columns', i, 'name'], `duplicate column "${column.name}"`);
      seen.add(column.name);
      if (table.classification === 'mnpi' && column.classification === 'public') {
        add(
          ['tables', tableName, 'columns', i, 'classification'],
          'a column cannot be less restricted than its table (the table is mnpi)',
        );
      }
    });
    table.primaryKey.forEach((key, i) => {
      const column = table.columns.find((c) => c.name === key);
      if (!column)
        add(
          ['tables', tableName, 'primaryKey', i],
          `primary key column "${key}" is not a column of the table`,
        );
      else if (column.nullable)
        add(['tables', tableName, 'primaryKey', i], `primary key column "${key}" is nullable`);
      else if (column.classification === 'mnpi' && table.classification === 'public') {
        add(
          ['tables', tableName, 'primaryKey', i],
          `primary key column "${key}" is mnpi but keys travel in clear on a public topic`,
        );
      }
    });
  }

  const groups = new Map<string, string>();
  let aclManagers = 0;
  const producers: string[] = [];
  for (const [name, principal] of Object.entries(model.principals)) {
    const at = (...rest: (string | number)[]) => ['principals', name, ...rest];
    checkClearance(principal, at, add);
    const kafka = principal.kafka;
    if (principal.kind === 'human' && kafka)
      add(at('kafka'), 'human principals get no Kafka access; use a service principal');
    if (principal.kind === 'service' && principal.lake?.query)
      add(at('lake', 'query'), 'only human principals query the lake through Athena');
    if (principal.kind === 'human' && principal.lake?.write)
      add(at('lake', 'write'), 'human principals never write to the lake');
    const query = principal.lake?.query;
    if (query?.zones.includes('mnpi') && !query.mfa)
      add(at('lake', 'query', 'mfa'), 'querying the MNPI zone requires mfa: true');
    for (const layer of [...(principal.lake?.write?.layers ?? []), ...(query?.layers ?? [])]) {
      if (!model.layers.includes(layer)) add(at('lake'), `layer "${layer}" is not declared in layers`);
    }
    if (kafka?.consume) {
      const owner = groups.get(kafka.consume.group);
      if (owner)
        add(
          at('kafka', 'consume', 'group'),
          `consumer group "${kafka.consume.group}" is already used by principal "${owner}"`,
        );
      groups.set(kafka.consume.group, name);
    }
    const write = principal.lake?.write;
    if (write) {
      // A sink reads exactly its own zone's topics and writes exactly that zone.
      if (write.zones.length !== 1) add(at('lake', 'write', 'zones'), 'a sink writes exactly one zone');
      const consumed = kafka?.consume?.zones ?? [];
      if (consumed.length !== write.zones.length || consumed.some((z) => !write.zones.includes(z))) {
        add(at('kafka', 'consume', 'zones'), 'a sink must consume exactly the zones it writes');
      }
      if (kafka?.consume && !kafka.consume.group.startsWith('connect-')) {
        add(at('kafka', 'consume', 'group'), 'a sink connector\'s group is "connect-<connector name>"');
      }
    }
    if (kafka?.manageAcls) aclManagers += 1;
    if (kafka?.produce) producers.push(name);
  }
  if (aclManagers !== 1)
    add(['principals'], `exactly one principal must have kafka.manageAcls (found ${aclManagers})`);
  // The CDC source is the one writer of the CDC topics; its heartbeat grants depend on it being unique.
  if (producers.length !== 1) {
    add(
      ['principals'],
      `exactly one principal (the CDC source) must have kafka.produce (found ${producers.length}: ${producers.join(', ') || 'none'})`,
    );
  }

  const line = model.kafka.version.split('.').slice(0, 2).join('.');
  if (!(MSK_KAFKA_LINES as readonly string[]).includes(line)) {
    add(
      ['kafka', 'version'],
      `Kafka ${line} is not a line Amazon MSK offers (${MSK_KAFKA_LINES.join(', ')})`,
    );
  }

  const connect = model.kafka.connect;
  const worker = model.principals[connect.principal];
  if (!worker) add(['kafka', 'connect', 'principal'], `principal "${connect.principal}" is not declared`);
  else if (!worker.kafka?.connectWorker)
    add(
      ['kafka', 'connect', 'principal'],
      `principal "${connect.principal}" lacks kafka.connectWorker: true`,
    );
  for (const key of ['configTopic', 'offsetTopic', 'statusTopic'] as const) {
    if (connect[key].startsWith(model.kafka.managedTopicPrefix)) {
      add(
        ['kafka', 'connect', key],
        `Connect's internal topics must lie outside the managed prefix "${model.kafka.managedTopicPrefix}"`,
      );
    }
  }
  // The heartbeat topic is Connect-created and outside the bootstrapper's ownership (and the lake).
  if (debeziumHeartbeatTopic(model).startsWith(model.kafka.managedTopicPrefix)) {
    add(
      ['source', 'heartbeat', 'topicPrefix'],
      `the heartbeat topic must lie outside the managed prefix "${model.kafka.managedTopicPrefix}"`,
    );
  }
  const sampleTopic = model.kafka.topicNaming.replace('{table}', 'x').replace('{zone}', 'mnpi');
  if (!sampleTopic.startsWith(model.kafka.managedTopicPrefix)) {
    add(
      ['kafka', 'topicNaming'],
      `topic names must start with the managed prefix "${model.kafka.managedTopicPrefix}"`,
    );
  }

  for (const [envName, env] of Object.entries(model.environments)) {
    const at = (...rest: (string | number)[]) => ['environments', envName, ...rest];
    if (env.kafka.replicationFactor > env.kafka.brokers)
      add(at('kafka', 'replicationFactor'), `is larger than the broker count (${env.kafka.brokers})`);
    if (env.kafka.minInsyncReplicas > env.kafka.replicationFactor)
      add(at('kafka', 'minInsyncReplicas'), 'is larger than the replication factor');
    for (const cls of Object.keys(env.kafka.topicClasses)) {
      if (!model.kafka.topicClasses[cls])
        add(at('kafka', 'topicClasses', cls), `topic class "${cls}" is not declared in kafka.topicClasses`);
    }
    if (envName === 'local') continue;
    // Cloud environments need every sizing fact the CDK reads.
    for (const key of ['account', 'availabilityZones', 'database', 'network', 'audit'] as const) {
      if (env[key] === undefined) add(at(key), `is required for the cloud environment "${envName}"`);
    }
    for (const key of ['brokerInstanceType', 'brokerStorageGiB'] as const) {
      if (env.kafka[key] === undefined)
        add(at('kafka', key), `is required for the cloud environment "${envName}"`);
    }
    if (env.audit && env.audit.retentionDays < env.lake.retentionDays) {
      add(
        at('audit', 'retentionDays'),
        'audit records must be kept at least as long as the data they describe',
      );
    }
    if (env.availabilityZones && env.kafka.brokers % env.availabilityZones !== 0) {
      add(at('kafka', 'brokers'), `MSK needs a multiple of the ${env.availabilityZones} availability zones`);
    }
  }
  validateMonitor(model, add);
  return issues;
}

/** The monitor runs as a declared service principal that consumes with its own group. */
function validateMonitor(
  model: PlatformModel,
  add: (path: (string | number)[], message: string) => void,
): void {
  const name = model.monitor.principal;
  const principal = model.principals[name];
  if (!principal) add(['monitor', 'principal'], `principal "${name}" is not declared`);
  else if (principal.kind !== 'service' || !principal.kafka?.consume)
    add(['monitor', 'principal'], `principal "${name}" must be a service with kafka.consume`);
  const groups = new Set(
    Object.values(model.principals).flatMap((p) => (p.kafka?.consume ? [p.kafka.consume.group] : [])),
  );
  for (const group of Object.keys(model.monitor.lagSloSeconds.groups)) {
    if (!groups.has(group))
      add(
        ['monitor', 'lagSloSeconds', 'groups', group],
        `"${group}" is not a consumer group of any principal`,
      );
  }
}

function checkClearance(
  principal: PrincipalSpec,
  at: (...rest: (string | number)[]) => (string | number)[],
  add: (path: (string | number)[], message: string) => void,
): void {
  if (principal.clearance === 'mnpi') return;
  const reaches = (zones: readonly ZoneName[] | undefined) => zones?.includes('mnpi') ?? false;
  const deny = (path: (string | number)[]) =>
    add(path, 'a principal cleared only for public data cannot be granted access to the mnpi zone');
  if (reaches(principal.kafka?.produce)) deny(at('kafka', 'produce'));
  if (reaches(principal.kafka?.consume?.zones)) deny(at('kafka', 'consume', 'zones'));
  if (reaches(principal.kafka?.describe)) deny(at('kafka', 'describe'));
  if (reaches(principal.lake?.write?.zones)) deny(at('lake', 'write', 'zones'));
  if (reaches(principal.lake?.query?.zones)) deny(at('lake', 'query', 'zones'));
  if (principal.kafka?.manageTopics || principal.kafka?.manageAcls) deny(at('kafka'));
  if (principal.kafka?.describeManagedPrefix) deny(at('kafka', 'describeManagedPrefix'));
}
