import { GetObjectCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { Client } from 'pg';
import { deriveLakeBuckets, lakeBucketName, loadPlatformModel } from '@lakewall/platform-model';
import { ensureStackUp, pgConnectionConfig, readStackStatus } from '../src/index';
import { s3ClientFor } from '../src/components/s3';
import { requireCredentials, stackContext } from '../src/context';
import { ICEBERG_CATALOG_DATABASE, ICEBERG_CATALOG_ROLE } from '../src/lake-local';
import { stopComponent } from '../src/stop';

const model = loadPlatformModel();
const ctx = stackContext();

describe('the local lake storage: S3Proxy and the Iceberg JDBC catalog', () => {
  it('shows both in status, healthy', async () => {
    const status = await readStackStatus();
    const byName = Object.fromEntries(status.components.map((c) => [c.name, c]));
    expect(byName.s3).toMatchObject({ healthy: true, endpoint: `http://127.0.0.1:${ctx.ports.s3}` });
    expect(byName.catalog).toMatchObject({ healthy: true, pid: byName.postgres!.pid });
  });

  it('holds one bucket per zone and layer, named from the model', async () => {
    const s3 = s3ClientFor(ctx, requireCredentials(ctx));
    try {
      const names = ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name);
      const expected = deriveLakeBuckets(model).map((b) => lakeBucketName(model, 'local', b));
      expect(expected).toContain('lakewall-raw-mnpi-local');
      expect(names).toEqual(expect.arrayContaining(expected));
    } finally {
      s3.destroy();
    }
  });

  it('refuses unsigned and wrongly signed requests', async () => {
    const res = await fetch(`http://127.0.0.1:${ctx.ports.s3}/lakewall-raw-public-local?list-type=2`);
    expect(res.status).toBe(403);
    const wrong = s3ClientFor(ctx, {
      ...requireCredentials(ctx),
      s3: { accessKeyId: 'lakewall-local', secretAccessKey: 'not-the-secret' },
    });
    try {
      await expect(wrong.send(new ListBucketsCommand({}))).rejects.toThrow();
    } finally {
      wrong.destroy();
    }
  });

  it('keeps objects across a restart of the S3 server', async () => {
    const bucket = lakeBucketName(model, 'local', { zone: 'public', layer: 'raw' });
    const key = `restart-check/${Date.now()}.txt`;
    const body = `written before restart ${Math.random()}`;
    let s3 = s3ClientFor(ctx, requireCredentials(ctx));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    s3.destroy();
    await stopComponent(ctx, 's3', () => undefined);
    expect((await readStackStatus()).components.find((c) => c.name === 's3')?.healthy).toBe(false);
    await ensureStackUp();
    s3 = s3ClientFor(ctx, requireCredentials(ctx));
    try {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      expect(await got.Body?.transformToString()).toBe(body);
    } finally {
      s3.destroy();
    }
  });

  it('gives the catalog its own database that only its role can reach, and keeps it across up', async () => {
    const catalog = new Client(pgConnectionConfig(ICEBERG_CATALOG_ROLE, ICEBERG_CATALOG_DATABASE));
    await catalog.connect();
    try {
      await catalog.query('CREATE TABLE IF NOT EXISTS lakewall_up_check (n int)');
      await catalog.query('INSERT INTO lakewall_up_check VALUES (1)');
    } finally {
      await catalog.end();
    }
    await ensureStackUp();
    const again = new Client(pgConnectionConfig(ICEBERG_CATALOG_ROLE, ICEBERG_CATALOG_DATABASE));
    await again.connect();
    try {
      const r = await again.query<{ n: string }>('SELECT count(*) AS n FROM lakewall_up_check');
      expect(Number(r.rows[0]!.n)).toBeGreaterThan(0);
    } finally {
      await again.end();
    }
    const debezium = new Client(pgConnectionConfig(model.source.debeziumRole, ICEBERG_CATALOG_DATABASE));
    await expect(debezium.connect()).rejects.toThrow(/permission denied/);
    await debezium.end().catch(() => undefined);
  });
});
