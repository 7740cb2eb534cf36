import { Registry } from 'prom-client';
import { buildServer } from '../src/server';

// Over a real socket on an ephemeral port (fastify's inject pulls in an ESM-only dependency jest cannot load).
describe('HTTP probes', () => {
  it('/readyz answers 503 with the reason until ready, /healthz 200, /metrics in the exposition format', async () => {
    let reason: string | undefined = 'topics not visible yet';
    const registry = new Registry();
    const app = buildServer(
      { contentType: registry.contentType, exposition: () => registry.metrics() },
      { health: () => undefined, ready: () => reason },
    );
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const notReady = await fetch(`${base}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({ status: 'unavailable', reason: 'topics not visible yet' });
      reason = undefined;
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    } finally {
      await app.close();
    }
  });
});
