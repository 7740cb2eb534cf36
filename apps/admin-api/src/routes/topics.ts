import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { paginate } from '../domain/paging';
import { ApiProblem, notFound } from '../domain/problem';
import { validateTopicConfigPatch } from '../domain/topic-configs';
import { callerOf } from '../plugins/app/auth';
import { doc, IdempotencyHeaders, PageQuery, params, Reason, strict, TopicName, ZoneFilter } from './schemas';

const TopicParams = params({ topic: TopicName });
const ListQuery = Type.Object(
  { ...PageQuery, prefix: Type.Optional(Type.String({ maxLength: 249 })), zone: Type.Optional(ZoneFilter) },
  strict,
);
const TopicList = Type.Object({
  items: Type.Array(Type.Object({ name: Type.String(), zone: ZoneFilter })),
  next_page_token: Type.Optional(Type.String()),
});
const PatchBody = Type.Object(
  {
    reason: Reason,
    set: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9.]{0,99}$' }), Type.String({ maxLength: 100 }), {
      minProperties: 1,
      maxProperties: 20,
    }),
    validate_only: Type.Optional(Type.Boolean({ default: false })),
  },
  strict,
);

export default async function topicRoutes(app: FastifyInstance): Promise<void> {
  const { wall, sources, model, env } = app.ctx;

  /**
   * The sorted, classified listing, computed once per topic-name snapshot (the reader hands out the
   * same array while its cache is fresh), for cleared callers and for everyone else.
   */
  type Item = { name: string; zone: 'mnpi' | 'public' };
  const MAX_CACHED_PAGES = 200;
  const listings = new WeakMap<
    readonly string[],
    { all: Item[]; public: Item[]; pages: Map<string, string> }
  >();
  const classified = (names: readonly string[]) => {
    let l = listings.get(names);
    if (!l) {
      const all = [...names].sort().map((name) => ({ name, zone: wall.zone('topic', name) }));
      l = { all, public: all.filter((t) => t.zone === 'public'), pages: new Map() };
      listings.set(names, l);
    }
    return l;
  };

  /** Visible, existing topic or the uniform 404. */
  async function visibleTopic(caller: ReturnType<typeof callerOf>, topic: string) {
    wall.require(caller, 'topic', topic);
    const partitions = await sources.kafka.partitions(topic);
    if (!partitions) throw notFound('topic');
    return partitions;
  }

  app.get(
    '/topics',
    {
      schema: {
        ...doc('topics', 'List topics', { minRole: 'viewer' }),
        querystring: ListQuery,
        response: { 200: TopicList },
      },
      config: { access: { minRole: 'viewer' } },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const q = req.query as Static<typeof ListQuery>;
      const listing = classified(await sources.kafka.topicNames());
      // Pages are serialized once per snapshot and view: a cached read costs a map lookup.
      const key = JSON.stringify([caller.mnpiCleared, q.prefix, q.zone, q.page_size, q.page_token]);
      let body = listing.pages.get(key);
      if (body === undefined) {
        const items = (caller.mnpiCleared ? listing.all : listing.public)
          .filter((t) => (q.prefix ? t.name.startsWith(q.prefix) : true))
          .filter((t) => (q.zone ? t.zone === q.zone : true));
        body = JSON.stringify(paginate(items, q.page_size, q.page_token));
        if (listing.pages.size < MAX_CACHED_PAGES) listing.pages.set(key, body);
      }
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );

  app.get(
    '/topics/:topic',
    {
      schema: { ...doc('topics', 'Describe a topic', { minRole: 'viewer' }), params: TopicParams },
      config: { access: { minRole: 'viewer' } },
    },
    async (req) => {
      const { topic } = req.params as Static<typeof TopicParams>;
      const partitions = await visibleTopic(callerOf(req), topic);
      return {
        name: topic,
        zone: wall.zone('topic', topic),
        partitions: partitions.length,
        replication_factor: partitions[0]?.replicas.length ?? 0,
        under_replicated_partitions: partitions.filter((p) => p.isr.length < p.replicas.length).length,
      };
    },
  );

  app.get(
    '/topics/:topic/partitions',
    {
      schema: {
        ...doc('topics', 'Partitions of a topic with their offsets', { minRole: 'viewer' }),
        params: TopicParams,
      },
      config: { access: { minRole: 'viewer' } },
    },
    async (req) => {
      const { topic } = req.params as Static<typeof TopicParams>;
      return { items: await visibleTopic(callerOf(req), topic) };
    },
  );

  app.get(
    '/topics/:topic/configs',
    {
      schema: {
        ...doc('topics', 'Configs of a topic (sensitive values hidden)', { minRole: 'viewer' }),
        params: TopicParams,
      },
      config: { access: { minRole: 'viewer' } },
    },
    async (req) => {
      const { topic } = req.params as Static<typeof TopicParams>;
      await visibleTopic(callerOf(req), topic);
      const configs = await sources.kafka.configs(topic);
      if (!configs) throw notFound('topic');
      return { items: configs.map((c) => (c.isSensitive ? { ...c, value: null } : c)) };
    },
  );

  app.patch(
    '/topics/:topic/configs',
    {
      schema: {
        ...doc('topics', 'Change allow-listed topic configs (validated by the broker first)', {
          minRole: 'operator',
        }),
        params: TopicParams,
        headers: IdempotencyHeaders,
        body: PatchBody,
      },
      config: { access: { minRole: 'operator' } },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const { topic } = req.params as Static<typeof TopicParams>;
      const body = req.body as Static<typeof PatchBody>;
      const zone = wall.require(caller, 'topic', topic);
      return app.mutate(
        req,
        reply,
        {
          action: 'topic.configs.patch',
          resource: { kind: 'topic', name: topic },
          classification: zone,
          reason: body.reason,
          parameters: { set: body.set, validate_only: body.validate_only ?? false },
        },
        async () => {
          await visibleTopic(caller, topic);
          validateTopicConfigPatch(model, env, topic, body.set);
          try {
            // The broker checks values against its own config definitions before anything is written.
            await sources.kafka.alterTopicConfigs(topic, body.set, true);
          } catch (err) {
            const said = String((err as Error).message ?? '')
              .split(topic)
              .join('<topic>');
            throw new ApiProblem(400, 'config_invalid', `the broker refused the values: ${said}`);
          }
          if (!body.validate_only) await sources.kafka.alterTopicConfigs(topic, body.set, false);
          return { status: 200, body: { set: body.set, validate_only: body.validate_only ?? false } };
        },
      );
    },
  );
}
