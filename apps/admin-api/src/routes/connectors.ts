import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { redact, redactConfig, type ConnectorStatus } from '@lakewall/connect-rest';
import { deriveSinks } from '@lakewall/platform-model';
import { hasRole, type Caller } from '../domain/caller';
import { ApiProblem, notFound, sourceNotConfigured } from '../domain/problem';
import { callerOf } from '../plugins/app/auth';
import type { ConnectApi } from '../sources/types';
import { ConnectorName, doc, IdempotencyHeaders, params, Reason, ReasonBody, strict } from './schemas';

const NameParams = params({ name: ConnectorName });
const RestartQuery = Type.Object(
  {
    includeTasks: Type.Optional(Type.Boolean({ default: false })),
    onlyFailed: Type.Optional(Type.Boolean({ default: false })),
  },
  strict,
);
const ResumeBody = Type.Object(
  {
    reason: Reason,
    acknowledge_findings: Type.Optional(
      Type.Boolean({
        description: "Acknowledge the zone's open findings with this reason and resume anyway.",
      }),
    ),
  },
  strict,
);

/** Status with task traces cut and passed through redaction (a trace can quote a config). */
function publicStatus(s: ConnectorStatus) {
  const trace = (t?: string) => (t ? redact(t.split('\n').slice(0, 5).join('\n')) : undefined);
  return {
    connector: {
      state: s.connector.state,
      worker_id: s.connector.worker_id,
      trace: trace(s.connector.trace),
    },
    tasks: s.tasks.map((t) => ({ id: t.id, state: t.state, worker_id: t.worker_id, trace: trace(t.trace) })),
  };
}

export default async function connectorRoutes(app: FastifyInstance): Promise<void> {
  const { wall, sources, model, env } = app.ctx;
  const sinks = new Map(deriveSinks(model, env).map((s) => [s.connectorName, s]));

  // Kafka Connect's REST API, or 503 source_not_configured where there is none (MSK Connect on
  // AWS): asked first in every handler, so nothing is attempted without it (a refused change is
  // audited as denied, like any refusal).
  function connectApi(): ConnectApi {
    if (!sources.connect) throw sourceNotConfigured('connect');
    return sources.connect;
  }

  async function statusOf(caller: Caller, name: string): Promise<ConnectorStatus> {
    wall.require(caller, 'connector', name);
    const status = await connectApi().connectorStatus(name);
    if (!status) throw notFound('connector');
    return status;
  }

  app.get(
    '/connectors',
    {
      schema: doc('connectors', 'List connectors with their state', { minRole: 'viewer' }),
      config: { access: { minRole: 'viewer' } },
    },
    async (req) => {
      const caller = callerOf(req);
      connectApi();
      const names = wall.visible(caller, 'connector', await connectApi().listConnectors(), (n) => n).sort();
      const items = await Promise.all(
        names.map(async (name) => {
          const s = await connectApi().connectorStatus(name);
          const tasks = s?.tasks ?? [];
          return {
            name,
            zone: wall.zone('connector', name),
            state: s?.connector.state ?? 'UNKNOWN',
            tasks: {
              total: tasks.length,
              running: tasks.filter((t) => t.state === 'RUNNING').length,
              failed: tasks.filter((t) => t.state === 'FAILED').length,
            },
          };
        }),
      );
      return { items };
    },
  );

  app.get(
    '/connectors/:name',
    {
      schema: {
        ...doc('connectors', 'A connector: status and config (secrets redacted)', { minRole: 'viewer' }),
        params: NameParams,
      },
      config: { access: { minRole: 'viewer' } },
    },
    async (req) => {
      const caller = callerOf(req);
      connectApi();
      const { name } = req.params as Static<typeof NameParams>;
      const status = await statusOf(caller, name);
      const config = await connectApi().connectorConfig(name);
      return {
        name,
        zone: wall.zone('connector', name),
        status: publicStatus(status),
        config: config ? redactConfig(config) : {},
      };
    },
  );

  app.post(
    '/connectors/:name/restart',
    {
      schema: {
        ...doc('connectors', 'Restart a connector (and its tasks); answers 202 with the status', {
          minRole: 'operator',
        }),
        params: NameParams,
        querystring: RestartQuery,
        headers: IdempotencyHeaders,
        body: ReasonBody,
      },
      config: { access: { minRole: 'operator' } },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      connectApi();
      const { name } = req.params as Static<typeof NameParams>;
      const q = req.query as Static<typeof RestartQuery>;
      const { reason } = req.body as Static<typeof ReasonBody>;
      const zone = wall.require(caller, 'connector', name);
      return app.mutate(
        req,
        reply,
        {
          action: 'connector.restart',
          resource: { kind: 'connector', name },
          classification: zone,
          reason,
          parameters: q,
        },
        async () => {
          await statusOf(caller, name);
          const after = await connectApi().restartConnector(name, {
            includeTasks: q.includeTasks ?? false,
            onlyFailed: q.onlyFailed ?? false,
          });
          const status = after ?? (await statusOf(caller, name));
          return { status: 202, body: { name, status: publicStatus(status) } };
        },
      );
    },
  );

  app.post(
    '/connectors/:name/pause',
    {
      schema: {
        ...doc('connectors', 'Pause a connector; answers 202', { minRole: 'operator' }),
        params: NameParams,
        headers: IdempotencyHeaders,
        body: ReasonBody,
      },
      config: { access: { minRole: 'operator' } },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      connectApi();
      const { name } = req.params as Static<typeof NameParams>;
      const { reason } = req.body as Static<typeof ReasonBody>;
      const zone = wall.require(caller, 'connector', name);
      return app.mutate(
        req,
        reply,
        { action: 'connector.pause', resource: { kind: 'connector', name }, classification: zone, reason },
        async () => {
          await statusOf(caller, name);
          await connectApi().pauseConnector(name);
          return { status: 202, body: { name, requested: 'PAUSED' } };
        },
      );
    },
  );

  app.post(
    '/connectors/:name/resume',
    {
      schema: {
        ...doc(
          'connectors',
          'Resume a connector; answers 202. A lake sink that the leak checker may have paused needs admin, MNPI clearance, and no open findings in its zone unless acknowledge_findings is true',
          { minRole: 'operator' },
        ),
        params: NameParams,
        headers: IdempotencyHeaders,
        body: ResumeBody,
      },
      config: { access: { minRole: 'operator' } },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      connectApi();
      const { name } = req.params as Static<typeof NameParams>;
      const body = req.body as Static<typeof ResumeBody>;
      const zone = wall.require(caller, 'connector', name);
      return app.mutate(
        req,
        reply,
        {
          action: 'connector.resume',
          resource: { kind: 'connector', name },
          classification: zone,
          reason: body.reason,
          parameters: { acknowledge_findings: body.acknowledge_findings ?? false },
        },
        async () => {
          await statusOf(caller, name);
          const sink = sinks.get(name);
          if (sink) {
            const findings = sources.findings;
            // Without the findings source nobody can tell who paused a sink: assume the checker did.
            const pausedByChecker = findings ? await findings.pausedByMonitor(name) : true;
            if (pausedByChecker) {
              if (!hasRole(caller, 'admin'))
                throw new ApiProblem(
                  403,
                  'forbidden_role',
                  'resuming a paused lake sink needs the admin role',
                );
              if (!caller.mnpiCleared) throw new ApiProblem(403, 'mnpi_clearance_required');
              if (!findings) throw sourceNotConfigured('findings');
              const open = (await findings.findings()).filter(
                (f) => f.zone === sink.zone && f.state === 'open',
              );
              if (open.length > 0 && !body.acknowledge_findings)
                throw new ApiProblem(
                  409,
                  'unacknowledged_findings',
                  'acknowledge the open findings of this zone to resume',
                  { open_findings: open.length },
                );
              for (const f of open) await findings.acknowledge(f.id, caller.subject, body.reason);
            }
          }
          await connectApi().resumeConnector(name);
          return { status: 202, body: { name, requested: 'RUNNING' } };
        },
      );
    },
  );
}
