/**
 * The lake's tables from the lake reader (the Iceberg client behind `npm run lake`). A listing
 * starts a JVM, so it is cached for `ttlMs` and concurrent requests share one read. Tables the
 * model does not declare in that namespace keep their qualified name, which the wall classifies
 * as MNPI (fail closed).
 */
import { deriveIcebergTables, type PlatformModel } from '@lakewall/platform-model';
import type { LakeReader, LakeTableInfo } from '@lakewall/lake-reader';
import { SourceUnavailableError, type LakeSource, type LakeTable } from './types';

export class ReaderLakeSource implements LakeSource {
  private cached: { at: number; tables: LakeTable[] } | undefined;
  private inFlight: Promise<LakeTable[]> | undefined;
  private readonly declared: Map<string, { zone: LakeTable['zone']; name: string }>;

  constructor(
    private readonly reader: Pick<LakeReader, 'tables'>,
    private readonly model: PlatformModel,
    private readonly opts: { ttlMs?: number; now?: () => number } = {},
  ) {
    this.declared = new Map(
      deriveIcebergTables(model).map((t) => [`${t.namespace}.${t.name}`, { zone: t.zone, name: t.name }]),
    );
  }

  async tables(): Promise<LakeTable[]> {
    const now = (this.opts.now ?? Date.now)();
    if (this.cached && now - this.cached.at < (this.opts.ttlMs ?? 15_000)) return this.cached.tables;
    this.inFlight ??= this.read(now).finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async read(at: number): Promise<LakeTable[]> {
    let infos: LakeTableInfo[];
    try {
      infos = await this.reader.tables(this.model);
    } catch (e) {
      throw new SourceUnavailableError(`lake reader: ${(e as Error).message}`);
    }
    const tables = infos.map((t): LakeTable => {
      const known = this.declared.get(`${t.namespace}.${t.table}`);
      return {
        zone: known?.zone ?? 'mnpi',
        layer: 'raw',
        table: known?.name ?? `${t.namespace}.${t.table}`,
        snapshots: t.snapshots,
        rowCount: t.rows,
        ...(t.lastCommitMs !== null ? { lastCommitAt: new Date(t.lastCommitMs).toISOString() } : {}),
      };
    });
    this.cached = { at, tables };
    return tables;
  }
}
