/**
 * @lakewall/record-checker: checks CDC records on Kafka against the platform model (MNPI leaks,
 * unknown tables and columns, undecodable records, undeclared topics). Pure apart from the schema
 * registry it may be given.
 */
export * from './findings';
export * from './findings-log';
export * from './decode';
export * from './envelope';
export * from './check';
export * from './undeclared';
export { RegistryAvroSource } from './registry';
