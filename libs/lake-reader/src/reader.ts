/** The lake's tables and rows, read through the Iceberg client (behind `npm run lake` and the admin API). */
import { deriveIcebergTables, type IcebergTableSpec, type PlatformModel } from '@lakewall/platform-model';
import { runLakeTool, type LakeCatalog, type LakeToolRuntime } from './lake-tool';

/** One table as the catalog reports it. */
export interface LakeTableInfo {
  readonly namespace: string;
  readonly table: string;
  readonly location: string;
  readonly snapshots: number;
  /** Total records of the current snapshot (0 before the first commit). */
  readonly rows: number;
  readonly lastCommitMs: number | null;
}

/** One snapshot of a table: when it was committed and how many rows it added. */
export interface LakeSnapshot {
  readonly committedMs: number;
  readonly addedRows: number;
}

/** The namespaces the model's tables live in. */
export function lakeNamespaces(model: PlatformModel): string[] {
  return [...new Set(deriveIcebergTables(model).map((t) => t.namespace))].sort();
}

export class LakeReader {
  constructor(
    private readonly runtime: LakeToolRuntime,
    private readonly catalog: LakeCatalog,
  ) {}

  /** Every table of the model's namespaces (undeclared ones included: a reader must see those too). */
  tables(model: PlatformModel): Promise<LakeTableInfo[]> {
    return runLakeTool<LakeTableInfo[]>(this.runtime, this.catalog, 'ls', {
      namespaces: lakeNamespaces(model),
    });
  }

  /**
   * Rows of `namespace.table` from its current snapshot; `limit` -1 for all; `where` keeps rows whose
   * column is one of the given values (filtered by the reader, not after a full read).
   */
  scan(
    table: string,
    limit = 20,
    where?: Readonly<Record<string, readonly (string | number)[]>>,
  ): Promise<Record<string, unknown>[]> {
    return runLakeTool<Record<string, unknown>[]>(this.runtime, this.catalog, 'scan', {
      table,
      limit,
      ...(where ? { where } : {}),
    });
  }

  /** A table's snapshots, oldest first, from its Iceberg metadata. */
  snapshots(table: string): Promise<LakeSnapshot[]> {
    return runLakeTool<LakeSnapshot[]>(this.runtime, this.catalog, 'snapshots', { table });
  }

  /** Creates the namespaces and tables that are missing; answers the ones it created. */
  async declare(tables: readonly (IcebergTableSpec & { location: string })[]): Promise<string[]> {
    return (await runLakeTool<{ created: string[] }>(this.runtime, this.catalog, 'declare', { tables }))
      .created;
  }
}
