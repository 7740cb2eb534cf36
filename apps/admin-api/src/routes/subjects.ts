import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { paginate } from '../domain/paging';
import { notFound } from '../domain/problem';
import { callerOf } from '../plugins/app/auth';
import { doc, PageQuery, params, strict, SubjectName } from './schemas';

const SubjectParams = params({ subject: SubjectName });
const VersionParams = params({
  subject: SubjectName,
  version: Type.Union([Type.Integer({ minimum: 1 }), Type.Literal('latest')]),
});
const ListQuery = Type.Object({ ...PageQuery }, strict);
const CandidateBody = Type.Object(
  {
    schema: Type.String({ minLength: 1, maxLength: 1_000_000 }),
    schema_type: Type.Optional(
      Type.Union([Type.Literal('AVRO'), Type.Literal('JSON'), Type.Literal('PROTOBUF')], { default: 'AVRO' }),
    ),
  },
  strict,
);

export default async function subjectRoutes(app: FastifyInstance): Promise<void> {
  const { wall, sources } = app.ctx;

  app.get(
    '/subjects',
    {
      schema: {
        ...doc('schemas', 'List schema registry subjects', { minRole: 'viewer' }),
        querystring: ListQuery,
      },
      config: { access: { minRole: 'viewer' } },
    },
    async (req) => {
      const q = req.query as Static<typeof ListQuery>;
      const names = wall
        .visible(callerOf(req), 'subject', await sources.registry.subjects(), (s) => s)
        .sort();
      const page = paginate(names, q.page_size, q.page_token);
      return { ...page, items: page.items.map((name) => ({ name, zone: wall.zone('subject', name) })) };
    },
  );

  app.get(
    '/subjects/:subject/versions',
    {
      schema: { ...doc('schemas', "A subject's versions", { minRole: 'viewer' }), params: SubjectParams },
      config: { access: { minRole: 'viewer' } },
    },
    async (req) => {
      const { subject } = req.params as Static<typeof SubjectParams>;
      wall.require(callerOf(req), 'subject', subject);
      const versions = await sources.registry.versions(subject);
      if (!versions) throw notFound('subject');
      return { items: versions };
    },
  );

  app.get(
    '/subjects/:subject/versions/:version',
    {
      schema: {
        ...doc('schemas', 'One version of a subject with its schema', { minRole: 'viewer' }),
        params: VersionParams,
      },
      config: { access: { minRole: 'viewer' } },
    },
    async (req) => {
      const { subject, version } = req.params as Static<typeof VersionParams>;
      wall.require(callerOf(req), 'subject', subject);
      const v = await sources.registry.version(subject, version);
      if (!v) throw notFound('subject version');
      return { id: v.id, version: v.version, schema_type: v.schemaType, schema: v.schema };
    },
  );

  app.post(
    '/subjects/:subject/compatibility',
    {
      schema: {
        ...doc(
          'schemas',
          "Check a candidate schema against the subject's compatibility rule (writes nothing)",
          { minRole: 'viewer' },
        ),
        params: SubjectParams,
        body: CandidateBody,
      },
      config: { access: { minRole: 'viewer' } },
    },
    async (req) => {
      const { subject } = req.params as Static<typeof SubjectParams>;
      const body = req.body as Static<typeof CandidateBody>;
      wall.require(callerOf(req), 'subject', subject);
      const result = await sources.registry.checkCompatibility(subject, {
        schema: body.schema,
        schemaType: body.schema_type ?? 'AVRO',
      });
      if (!result) throw notFound('subject');
      return result;
    },
  );
}
