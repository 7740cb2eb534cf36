import { deriveIcebergTables } from '@lakewall/platform-model';
import type { LakeTableInfo } from '@lakewall/lake-reader';
import { ReaderLakeSource } from '../src/sources/lake-source';
import { SourceUnavailableError } from '../src/sources/types';
import { model } from './support';

const declared = deriveIcebergTables(model);
const pub = declared.find((t) => t.zone === 'public')!;
const mnpi = declared.find((t) => t.zone === 'mnpi')!;
const info = (namespace: string, table: string, rows = 5): LakeTableInfo => ({
  namespace,
  table,
  location: `s3://bucket/${namespace}/${table}`,
  snapshots: 2,
  rows,
  lastCommitMs: Date.UTC(2026, 0, 1),
});

describe('the lake source', () => {
  it('names declared tables by their model name and zone, with rows and snapshots', async () => {
    const src = new ReaderLakeSource({ tables: async () => [info(pub.namespace, pub.name, 7)] }, model);
    expect(await src.tables()).toEqual([
      {
        zone: 'public',
        layer: 'raw',
        table: pub.name,
        snapshots: 2,
        rowCount: 7,
        lastCommitAt: '2026-01-01T00:00:00.000Z',
      },
    ]);
  });

  it('keeps the qualified name of a table the model does not declare there (the wall then hides it)', async () => {
    // A public table's name in the MNPI namespace is not the public table.
    const src = new ReaderLakeSource({ tables: async () => [info(mnpi.namespace, pub.name)] }, model);
    expect(await src.tables()).toEqual([
      expect.objectContaining({ zone: 'mnpi', table: `${mnpi.namespace}.${pub.name}` }),
    ]);
  });

  it('reads the catalog once per interval, and shares a read in flight', async () => {
    let reads = 0;
    let now = 0;
    const src = new ReaderLakeSource(
      { tables: async () => (reads++, [info(pub.namespace, pub.name)]) },
      model,
      { ttlMs: 1000, now: () => now },
    );
    await Promise.all([src.tables(), src.tables()]);
    await src.tables();
    expect(reads).toBe(1);
    now = 1500;
    await src.tables();
    expect(reads).toBe(2);
  });

  it('reports a failing reader as an unavailable source', async () => {
    const src = new ReaderLakeSource({ tables: async () => Promise.reject(new Error('jdbc down')) }, model);
    await expect(src.tables()).rejects.toBeInstanceOf(SourceUnavailableError);
  });
});
