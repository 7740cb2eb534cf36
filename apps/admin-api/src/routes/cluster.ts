import type { FastifyInstance } from 'fastify';
import { doc } from './schemas';

export default async function clusterRoutes(app: FastifyInstance): Promise<void> {
  const { sources } = app.ctx;
  app.get(
    '/cluster',
    {
      schema: doc('cluster', 'The Kafka cluster: id, controller and brokers', { minRole: 'viewer' }),
      config: { access: { minRole: 'viewer' } },
    },
    async () => {
      const c = await sources.kafka.cluster();
      return { cluster_id: c.clusterId, controller: c.controller, brokers: c.brokers };
    },
  );
  app.get(
    '/cluster/brokers',
    {
      schema: doc('cluster', 'The brokers', { minRole: 'viewer' }),
      config: { access: { minRole: 'viewer' } },
    },
    async () => ({ items: (await sources.kafka.cluster()).brokers }),
  );
}
