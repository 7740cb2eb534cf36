/** The JDBC catalog with S3 files (the local lake, and any lake read the same way), in one place. */
import type { LakeCatalog } from './lake-tool';

export interface JdbcCatalogOptions {
  /** The catalog name the sinks commit under (stored per row: readers must use the same). */
  readonly name: string;
  /** `jdbc:postgresql://host:port/database` */
  readonly uri: string;
  readonly user: string;
  readonly password: string;
  readonly warehouse: string;
  readonly region: string;
  readonly s3: { readonly endpoint: string; readonly accessKeyId: string; readonly secretAccessKey: string };
}

export function jdbcCatalog(o: JdbcCatalogOptions): LakeCatalog {
  return {
    name: o.name,
    props: {
      'catalog-impl': 'org.apache.iceberg.jdbc.JdbcCatalog',
      uri: o.uri,
      'jdbc.user': o.user,
      'jdbc.password': o.password,
      // Iceberg's JDBC catalog with view support; the sinks create the catalog tables this way.
      'jdbc.schema-version': 'V1',
      warehouse: o.warehouse,
      'io-impl': 'org.apache.iceberg.aws.s3.S3FileIO',
      'client.region': o.region,
      's3.endpoint': o.s3.endpoint,
      // S3-compatible local servers serve buckets by path, not by virtual host.
      's3.path-style-access': 'true',
      's3.access-key-id': o.s3.accessKeyId,
      's3.secret-access-key': o.s3.secretAccessKey,
    },
  };
}
