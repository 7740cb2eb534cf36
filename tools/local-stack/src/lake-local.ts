/** Names of the local lake's catalog, one place for the stack, the sink configs and the readers. */
import type { PlatformModel } from '@lakewall/platform-model';

/** Iceberg's JDBC catalog lives in its own database, owned by its own role: never the trading database. */
export const ICEBERG_CATALOG_DATABASE = 'iceberg_catalog';
export const ICEBERG_CATALOG_ROLE = 'iceberg_catalog';

/**
 * The Iceberg catalog name: the JDBC catalog stores it in every row, so the sinks and every reader
 * (pyiceberg's SQL catalog) must use the same one.
 */
export function icebergCatalogName(model: PlatformModel): string {
  return model.project;
}
