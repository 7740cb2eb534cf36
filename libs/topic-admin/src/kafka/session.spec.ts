import * as net from 'node:net';
import { openSession } from './session';
import { checkClusterIdentity, ClusterMismatchError } from './cluster-identity';

describe('openSession against a broker that accepts but never answers', () => {
  let server: net.Server;
  let port: number;
  const sockets: net.Socket[] = [];
  beforeAll(async () => {
    server = net.createServer((s) => sockets.push(s)); // accept, read nothing, say nothing
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });

  it('fails with a clear error naming the endpoint at the deadline', async () => {
    const started = Date.now();
    const err = await openSession({
      kafka: {
        brokers: [`127.0.0.1:${port}`],
        sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
      },
      connectTimeoutMs: 1500,
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      `Kafka at 127.0.0.1:${port} did not answer within 1.5s (connect, authenticate and describe the cluster). Is this the broker's client listener, and is the broker healthy?`,
    );
    // Well before kafkajs' own retries (minutes) would give up.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('checkClusterIdentity', () => {
  const actual = { clusterId: 'AAAAAAAAAAAAAAAAAAAAAA', brokers: ['kafka.dev.lakewall.internal:9096'] };
  it('accepts the cluster the environment names', () => {
    expect(() =>
      checkClusterIdentity('dev', { bootstrapHost: 'kafka.dev.lakewall.internal', source: 'model' }, actual),
    ).not.toThrow();
    expect(() =>
      checkClusterIdentity('local', { id: 'AAAAAAAAAAAAAAAAAAAAAA', source: 'stack' }, actual),
    ).not.toThrow();
  });
  it('refuses another bootstrap host', () => {
    expect(() =>
      checkClusterIdentity(
        'prod',
        { bootstrapHost: 'kafka.prod.lakewall.internal', source: 'model' },
        actual,
      ),
    ).toThrow(
      /env 'prod' manages the cluster at kafka.prod.lakewall.internal .* uses kafka.dev.lakewall.internal:9096; refusing/,
    );
  });
  it('refuses another cluster id', () => {
    expect(() =>
      checkClusterIdentity('local', { id: 'BBBBBBBBBBBBBBBBBBBBBB', source: 'stack' }, actual),
    ).toThrow(ClusterMismatchError);
  });
  it('refuses an environment that names no cluster', () => {
    expect(() => checkClusterIdentity('dev', undefined, actual)).toThrow(/names no Kafka cluster/);
  });
});
