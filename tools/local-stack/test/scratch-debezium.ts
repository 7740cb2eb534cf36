/**
 * A Debezium connector of its own for a test: the model's Debezium config (its converters included)
 * pointed at a scratch schema with its own tables, publication, slot and topics, which the Debezium
 * principal may write for the test's duration. The model's CDC tables, topics and subjects stay
 * untouched.
 */
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
} from 'kafkajs';
import { Client } from 'pg';
import {
  cdcSourcePrincipal,
  deriveDebeziumConnectorConfig,
  kafkaPrincipal,
  type PlatformModel,
} from '@lakewall/platform-model';
import { connectClient, debeziumConnection, kafkaClientConfig, pgConnectionConfig } from '../src/index';

export class ScratchDebezium {
  readonly run = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
  readonly schema = `scratch_${this.run}`;
  readonly prefix = `lakewall-scratch-${this.run}`;
  readonly connector = `lakewall-scratch-${this.run}`;
  private readonly slot = `lakewall_scratch_${this.run}`;
  private readonly acls;

  constructor(
    private readonly model: PlatformModel,
    readonly tables: readonly string[],
  ) {
    const producer = kafkaPrincipal(cdcSourcePrincipal(model, 'local')!);
    this.acls = [AclOperationTypes.CREATE, AclOperationTypes.WRITE, AclOperationTypes.DESCRIBE].map(
      (operation) => ({
        resourceType: AclResourceTypes.TOPIC,
        resourceName: this.prefix,
        resourcePatternType: ResourcePatternTypes.PREFIXED,
        principal: producer,
        host: '*',
        operation,
        permissionType: AclPermissionTypes.ALLOW,
      }),
    );
  }

  topicOf(table: string): string {
    return `${this.prefix}.${this.schema}.${table}`;
  }

  async sql(statements: string[]): Promise<void> {
    const pg = new Client(pgConnectionConfig('admin'));
    await pg.connect();
    try {
      for (const s of statements) await pg.query(s);
    } finally {
      await pg.end();
    }
  }

  private async withAdmin(f: (admin: ReturnType<Kafka['admin']>) => Promise<void>): Promise<void> {
    const admin = new Kafka({ ...kafkaClientConfig('admin'), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      await f(admin);
    } finally {
      await admin.disconnect();
    }
  }

  /** Tables (`id bigint PRIMARY KEY, v text NOT NULL`), publication, grants; then the connector, running. */
  async start(): Promise<Record<string, string>> {
    const role = this.model.source.debeziumRole;
    await this.sql([
      `CREATE SCHEMA ${this.schema}`,
      ...this.tables.map((t) => `CREATE TABLE ${this.schema}.${t} (id bigint PRIMARY KEY, v text NOT NULL)`),
      `GRANT USAGE ON SCHEMA ${this.schema} TO ${role}`,
      `GRANT SELECT ON ALL TABLES IN SCHEMA ${this.schema} TO ${role}`,
      `CREATE PUBLICATION ${this.slot} FOR TABLE ${this.tables.map((t) => `${this.schema}.${t}`).join(', ')}`,
    ]);
    await this.withAdmin((admin) => admin.createAcls({ acl: this.acls }).then(() => undefined));
    const base = deriveDebeziumConnectorConfig(this.model, 'local', debeziumConnection()).config;
    const config: Record<string, string> = Object.fromEntries(
      Object.entries(base).filter(([k]) => !k.startsWith('transforms') && k !== 'column.exclude.list'),
    );
    Object.assign(config, {
      'topic.prefix': this.prefix,
      'schema.include.list': this.schema,
      'table.include.list': this.tables.map((t) => `${this.schema}\\.${t}`).join(','),
      'publication.name': this.slot,
      'slot.name': this.slot,
      'snapshot.mode': 'no_data',
      'heartbeat.interval.ms': '0',
    });
    await connectClient().upsertConnector(this.connector, config);
    await connectClient().waitForConnectorRunning(this.connector, 120_000);
    return config;
  }

  /** Connector, ACLs, topics, slot, publication and schema: gone. */
  async stop(): Promise<void> {
    await connectClient()
      .deleteConnector(this.connector)
      .catch(() => undefined);
    await this.withAdmin(async (admin) => {
      await admin.deleteAcls({ filters: this.acls });
      await admin.deleteTopics({ topics: this.tables.map((t) => this.topicOf(t)) }).catch(() => undefined);
    });
    // The slot stays active until the task has stopped.
    for (let i = 0; i < 30; i++) {
      try {
        await this.sql([
          `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '${this.slot}'`,
        ]);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    await this.sql([
      `DROP PUBLICATION IF EXISTS ${this.slot}`,
      `DROP SCHEMA IF EXISTS ${this.schema} CASCADE`,
    ]);
  }

  /** The first `count` record values of `table`'s topic, read as the stack's super user. */
  async read(table: string, count: number): Promise<Buffer[]> {
    const topic = this.topicOf(table);
    const until = Date.now() + 90_000;
    // Connect creates the topic with the first record.
    for (;;) {
      let exists = false;
      await this.withAdmin(async (admin) => {
        exists = (await admin.listTopics()).includes(topic);
      });
      if (exists) break;
      if (Date.now() > until) throw new Error(`${topic} does not exist after 90 s`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const consumer = new Kafka({ ...kafkaClientConfig('admin'), logLevel: logLevel.NOTHING }).consumer({
      groupId: `${this.connector}-reader-${table}`,
    });
    const values: Buffer[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${topic}: ${values.length} of ${count} records in 90 s`)),
          Math.max(1000, until - Date.now()),
        );
        void consumer.run({
          eachMessage: async ({ message }) => {
            if (message.value) values.push(message.value);
            if (values.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
    } finally {
      await consumer.disconnect();
    }
    return values;
  }
}
