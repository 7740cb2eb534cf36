import levenshtein from 'leven';
import { debeziumHeartbeatTopic } from './derive/debezium';
import { checkTopicConfigValue, knownTopicConfigLines, topicConfigDefs } from './kafka-topic-configs';
import { ZONES, type PlatformModel, type PrincipalSpec, type ZoneName } from './schema';
import { validateAccess } from './validate-access';

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
  // The registry's storage is its own: sharing the captured database would put its tables in the
  // CDC publication's reach, and sharing Debezium's role would give the registry replication rights.
  if (model.schemaRegistry.database === model.source.database)
    add(
      ['schemaRegistry', 'database'],
      'the schema registry needs a database of its own, not source.database',
    );
  if (model.schemaRegistry.role === model.source.debeziumRole)
    add(['schemaRegistry', 'role'], "the schema registry needs a role of its own, not Debezium's");
  // The CDC source is the one writer of the CDC topics; its heartbeat grants depend on it being unique.
  if (producers.length !== 1) {
    add(
      ['principals'],
      `exactly one principal (the CDC source) must have kafka.produce (found ${producers.length}: ${producers.join(', ') || 'none'})`,
    );
  }

  checkKafkaNaming(model, add);
  checkTopicConfigs(model, add);
  checkSuperUsers(model, add);
  checkConnectWorkerClearance(model, add);

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
  if (model.kafka.applyLock.startsWith(model.kafka.managedTopicPrefix))
    add(
      ['kafka', 'applyLock'],
      `the apply lock must lie outside the managed prefix "${model.kafka.managedTopicPrefix}"`,
    );
  // The heartbeat topic is Connect-created and outside the bootstrapper's ownership (and the lake).
  if (debeziumHeartbeatTopic(model).startsWith(model.kafka.managedTopicPrefix)) {
    add(
      ['source', 'heartbeat', 'topicPrefix'],
      `the heartbeat topic must lie outside the managed prefix "${model.kafka.managedTopicPrefix}"`,
    );
  }
  validateHeartbeatTable(model, add);
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
  issues.push(...validateAccess(model));
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
  if (principal.kafka?.analyzeCluster) deny(at('kafka', 'analyzeCluster'));
}

/** Kafka's legal topic names: 1..249 of [a-zA-Z0-9._-], not "." or "..". */
const LEGAL_TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
const SEPARATORS = ['.', '_', '-'];
/** Shortest managed prefix: a one- or two-letter prefix would own other teams' topics. */
export const MIN_MANAGED_PREFIX = 3;

type Add = (path: (string | number)[], message: string) => void;

function topicNameFor(template: string, table: string, zone: string): string {
  return template.split('{table}').join(table).split('{zone}').join(zone);
}

/**
 * The naming template must produce names Kafka accepts for every table and zone, and no two
 * (table, zone) pairs may produce the same name, or names that differ only by '.' vs '_' (Kafka
 * refuses those as colliding metric names).
 */
function checkKafkaNaming(model: PlatformModel, add: Add): void {
  const template = model.kafka.topicNaming;
  const literal = template.split('{table}').join('').split('{zone}').join('');
  const illegal = [...new Set(literal.replace(/[A-Za-z0-9._-]/g, ''))];
  if (illegal.length)
    add(
      ['kafka', 'topicNaming'],
      `contains characters Kafka does not allow in topic names: ${illegal.map((c) => JSON.stringify(c)).join(', ')} (allowed: letters, digits, '.', '_', '-')`,
    );
  const seen = new Map<string, string>();
  for (const table of Object.keys(model.tables)) {
    for (const zone of ZONES) {
      const name = topicNameFor(template, table, zone);
      if (!illegal.length && !LEGAL_TOPIC.test(name))
        add(
          ['tables', table],
          `its ${zone} topic "${name}" is not a legal Kafka topic name (at most 249 of letters, digits, '.', '_', '-')`,
        );
      const collisionKey = name.replace(/\./g, '_');
      const other = seen.get(collisionKey);
      if (other && other !== `${table}/${zone}`)
        add(
          ['kafka', 'topicNaming'],
          `tables and zones ${other} and ${table}/${zone} map to colliding topic names ("${name}")`,
        );
      seen.set(collisionKey, `${table}/${zone}`);
    }
  }
  const prefix = model.kafka.managedTopicPrefix;
  if (prefix.length < MIN_MANAGED_PREFIX || !SEPARATORS.includes(prefix.slice(-1)))
    add(
      ['kafka', 'managedTopicPrefix'],
      `"${prefix}" is too broad: the bootstrapper owns (and with --allow-delete deletes) every topic under it; use at least ${MIN_MANAGED_PREFIX} characters ending in one of ${SEPARATORS.map((s) => `'${s}'`).join(', ')} (e.g. "cdc.")`,
    );
}

function checkTopicConfigs(model: PlatformModel, add: Add): void {
  const defs = topicConfigDefs(model.kafka.version);
  if (!defs) {
    add(
      ['kafka', 'version'],
      `no topic config definitions are kept for Kafka ${model.kafka.version} (kept: ${knownTopicConfigLines().join(', ')})`,
    );
    return;
  }
  const byName = new Map(defs.map((d) => [d.name, d]));
  const check = (configs: Readonly<Record<string, string>> | undefined, at: (string | number)[]) => {
    for (const [key, value] of Object.entries(configs ?? {})) {
      const def = byName.get(key);
      if (!def) {
        const near = nearest(key, [...byName.keys()]);
        add(
          [...at, key],
          `is not a Kafka ${model.kafka.version} topic config${near ? ` (did you mean "${near}"?)` : ''}`,
        );
        continue;
      }
      const problem = checkTopicConfigValue(def, value);
      if (problem) add([...at, key], `value "${value}" ${problem}`);
    }
  };
  for (const [cls, spec] of Object.entries(model.kafka.topicClasses))
    check(spec.configs, ['kafka', 'topicClasses', cls, 'configs']);
  for (const [envName, env] of Object.entries(model.environments))
    for (const [cls, spec] of Object.entries(env.kafka.topicClasses))
      check(spec.configs, ['environments', envName, 'kafka', 'topicClasses', cls, 'configs']);
}

/** The brokers' super users bypass every ACL: no model principal may carry one of their names. */
function checkSuperUsers(model: PlatformModel, add: Add): void {
  for (const name of Object.keys(model.principals)) {
    if (model.kafka.superUsers.includes(name))
      add(
        ['principals', name],
        `"${name}" is one of the brokers' super users (kafka.superUsers), which no ACL restricts; choose another name`,
      );
  }
}

/**
 * The Connect worker runs every connector (the CDC source and each sink), and reads and writes
 * what they process: it must be cleared for every zone any of them touches.
 */
function checkConnectWorkerClearance(model: PlatformModel, add: Add): void {
  const workerName = model.kafka.connect.principal;
  const worker = model.principals[workerName];
  if (!worker || worker.clearance === 'mnpi') return;
  const connectors = Object.entries(model.principals).filter(([, p]) => p.kafka?.produce || p.lake?.write);
  for (const [name, p] of connectors) {
    const zones = [
      ...(p.kafka?.produce ?? []),
      ...(p.lake?.write?.zones ?? []),
      ...(p.kafka?.consume?.zones ?? []),
    ];
    if (zones.includes('mnpi'))
      add(
        ['principals', workerName, 'clearance'],
        `the Connect worker "${workerName}" runs connector "${name}", which touches the mnpi zone: the worker must be cleared for mnpi`,
      );
  }
}

/** The closest candidate by edit distance, when it is close enough to be a likely typo. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = levenshtein(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/**
 * The heartbeat table takes one row that Debezium's action query upserts: a single integer key and
 * a timestamptz column to set, nothing else required, and nothing MNPI (it is written as a public table).
 */
function validateHeartbeatTable(
  model: PlatformModel,
  add: (path: (string | number)[], message: string) => void,
): void {
  const name = model.source.heartbeat.table;
  if (name === undefined) return;
  const at = ['source', 'heartbeat', 'table'];
  const table = model.tables[name];
  if (!table) return add(at, `the heartbeat table "${name}" is not a table of the model`);
  if (table.classification !== 'public' || table.columns.some((c) => c.classification === 'mnpi'))
    add(at, `the heartbeat table "${name}" must be public with no MNPI column`);
  const key =
    table.primaryKey.length === 1 ? table.columns.find((c) => c.name === table.primaryKey[0]) : undefined;
  if (!key || !['integer', 'bigint', 'smallint'].includes(key.type))
    add(at, `the heartbeat table "${name}" needs a single integer primary key`);
  if (!table.columns.some((c) => c.type === 'timestamptz'))
    add(at, `the heartbeat table "${name}" needs a timestamptz column for the heartbeat time`);
  const others = table.columns.filter((c) => !table.primaryKey.includes(c.name) && c.type !== 'timestamptz');
  if (others.some((c) => !c.nullable))
    add(
      at,
      `the heartbeat table "${name}" may have no other NOT NULL column (the heartbeat writes only its key and time)`,
    );
}
