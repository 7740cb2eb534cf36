/**
 * @lakewall/kafka-connection: the one place that turns options into a kafkajs KafkaConfig
 * (flags -> LAKEWALL_KAFKA_* environment -> Secrets Manager secret -> local stack defaults;
 * SCRAM, TLS/CA), the reader of the local stack's state, the ZSTD codec for kafkajs, and the
 * admin API's cloud settings (the environment contract between the service and its task).
 */
export * from './errors';
export * from './connection';
export * from './cli-options';
export * from './msk-iam';
export * from './local-stack';
export * from './zstd';
export * from './admin-api-settings';
