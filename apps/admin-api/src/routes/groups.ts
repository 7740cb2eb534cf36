import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { paginate } from '../domain/paging';
import { notFound, sourceNotConfigured } from '../domain/problem';
import { callerOf } from '../plugins/app/auth';
import type { Caller } from '../domain/caller';
import type { GroupLag } from '../sources/types';
import { doc, GroupId, PageQuery, params, strict } from './schemas';

const GroupParams = params({ group: GroupId });
const ListQuery = Type.Object({ ...PageQuery }, strict);

export default async function groupRoutes(app: FastifyInstance): Promise<void> {
  const { wall, sources } = app.ctx;

  /**
   * Serialized lag bodies per lag object and clearance: the lag source hands out the same objects
   * until its next collection, so a read between two collections costs a lookup.
   */
  const bodies = new WeakMap<object, { cleared?: string; public?: string }>();
  const cachedBody = (key: object, caller: Caller, render: () => unknown): string => {
    let entry = bodies.get(key);
    if (!entry) bodies.set(key, (entry = {}));
    const view = caller.mnpiCleared ? 'cleared' : 'public';
    return (entry[view] ??= JSON.stringify(render()));
  };
  const JSON_TYPE = 'application/json; charset=utf-8';

  /** A group's lag with the partitions of topics the caller may not see removed. */
  const visibleLag = (caller: Caller, lag: GroupLag) => {
    const partitions = lag.partitions.filter((p) => wall.canSee(caller, 'topic', p.topic));
    return {
      group_id: lag.groupId,
      ...(lag.status ? { status: lag.status } : {}),
      ...(lag.members !== undefined ? { members: lag.members } : {}),
      ...(lag.collectedAt ? { collected_at: lag.collectedAt } : {}),
      total_lag: partitions.reduce((s, p) => s + p.lag, 0),
      max_time_lag_seconds: Math.max(0, ...partitions.map((p) => p.timeLagSeconds ?? 0)),
      partitions,
    };
  };

  app.get(
    '/groups',
    {
      schema: { ...doc('groups', 'List consumer groups', { minRole: 'viewer' }), querystring: ListQuery },
      config: { access: { minRole: 'viewer' } },
    },
    async (req) => {
      const q = req.query as Static<typeof ListQuery>;
      const groups = wall
        .visible(callerOf(req), 'group', await sources.kafka.groups(), (g) => g.groupId)
        .sort((a, b) => a.groupId.localeCompare(b.groupId));
      const page = paginate(groups, q.page_size, q.page_token);
      return {
        ...page,
        items: page.items.map((g) => ({
          group_id: g.groupId,
          protocol_type: g.protocolType,
          zone: wall.zone('group', g.groupId),
        })),
      };
    },
  );

  app.get(
    '/groups/:group',
    {
      schema: {
        ...doc('groups', 'Describe a consumer group: members, assignments, committed offsets', {
          minRole: 'viewer',
        }),
        params: GroupParams,
      },
      config: { access: { minRole: 'viewer' } },
    },
    async (req) => {
      const caller = callerOf(req);
      const { group } = req.params as Static<typeof GroupParams>;
      wall.require(caller, 'group', group);
      const g = await sources.kafka.group(group);
      if (!g) throw notFound('group');
      const seeTopic = (t: string) => wall.canSee(caller, 'topic', t);
      return {
        group_id: g.groupId,
        zone: wall.zone('group', g.groupId),
        state: g.state,
        protocol_type: g.protocolType,
        protocol: g.protocol,
        members: g.members.map((m) => ({
          member_id: m.memberId,
          client_id: m.clientId,
          host: m.host,
          assignment: Object.fromEntries(Object.entries(m.assignment).filter(([t]) => seeTopic(t))),
        })),
        offsets: g.offsets.filter((o) => seeTopic(o.topic)),
      };
    },
  );

  app.get(
    '/groups/:group/lag',
    {
      schema: {
        ...doc('groups', "A group's lag per partition, from the lag library", { minRole: 'viewer' }),
        params: GroupParams,
      },
      config: { access: { minRole: 'viewer' } },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const { group } = req.params as Static<typeof GroupParams>;
      wall.require(caller, 'group', group);
      if (!sources.lag) throw sourceNotConfigured('lag');
      const lag = await sources.lag.groupLag(group);
      if (!lag) throw notFound('group');
      return reply.type(JSON_TYPE).send(cachedBody(lag, caller, () => visibleLag(caller, lag)));
    },
  );

  app.get(
    '/lag/summary',
    {
      schema: doc('groups', 'Lag summary of every visible group, from the lag library', {
        minRole: 'viewer',
      }),
      config: { access: { minRole: 'viewer' } },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      if (!sources.lag) throw sourceNotConfigured('lag');
      const everyGroup = await sources.lag.allGroupLag();
      const render = () => ({
        items: wall
          .visible(caller, 'group', everyGroup, (l) => l.groupId)
          .map((l) => {
            const v = visibleLag(caller, l);
            return {
              group_id: v.group_id,
              ...(v.status ? { status: v.status } : {}),
              total_lag: v.total_lag,
              max_time_lag_seconds: v.max_time_lag_seconds,
            };
          }),
      });
      return reply.type(JSON_TYPE).send(cachedBody(everyGroup, caller, render));
    },
  );
}
