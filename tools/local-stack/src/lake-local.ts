/** Names of the local lake's catalog, one place for the stack, the sink configs and the readers. */

/** Iceberg's JDBC catalog lives in its own database, owned by its own role: never the trading database. */
export const ICEBERG_CATALOG_DATABASE = 'iceberg_catalog';
export const ICEBERG_CATALOG_ROLE = 'iceberg_catalog';

export { icebergCatalogName } from '@lakewall/platform-model';
