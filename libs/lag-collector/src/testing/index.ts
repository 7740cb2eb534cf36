/** Helpers for integration tests that compare lag with Kafka's own tooling; not for production code. */
export * from './kafka-tools';
