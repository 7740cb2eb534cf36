/**
 * @lakewall/lake-reader: the lake's Iceberg tables (snapshots, row counts, rows) read by the Iceberg
 * sink's own client. Used by `npm run lake`, the local stack and the admin API's lake routes.
 */
export * from './lake-tool';
export * from './catalog';
export * from './reader';
export * from './local-runtime';
