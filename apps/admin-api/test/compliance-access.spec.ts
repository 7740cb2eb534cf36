/**
 * GET /api/v1/compliance/access through inject, with the real access proof over in-memory ACLs and
 * no templates (the Kafka plane alone, as on the local stack): cleared callers only, and an ACL
 * that lets an uncleared principal read an MNPI topic fails the report with its path named.
 */
import type { FastifyInstance } from 'fastify';
import { deriveAcls, deriveTopics, kafkaPrincipal, type AclBinding } from '@lakewall/platform-model';
import { TemplatesAccessProof } from '../src/sources/access-proof';
import { ENV, fakes, model, testApp, token } from './support';

const mnpiTopic = deriveTopics(model, ENV).find((t) => t.zone === 'mnpi')!.name;
const hole: AclBinding = {
  principal: kafkaPrincipal('outsider'),
  host: '*',
  resourceType: 'TOPIC',
  resourceName: mnpiTopic,
  patternType: 'LITERAL',
  operation: 'READ',
  permission: 'ALLOW',
};

async function appWith(acls: AclBinding[]): Promise<FastifyInstance> {
  const f = fakes();
  const access = new TemplatesAccessProof(model, ENV, { acls: async () => acls });
  return testApp({ ...f, sources: { ...f.sources, access } });
}

const get = async (app: FastifyInstance, mnpi: boolean, query = '') =>
  app.inject({
    url: `/api/v1/compliance/access${query}`,
    headers: { authorization: `Bearer ${await token('viewer', mnpi)}` },
  });

describe('the access proof route', () => {
  it("passes on the model's own ACLs, without an AWS plane where there are no templates", async () => {
    const app = await appWith(deriveAcls(model, ENV));
    const res = await get(app, true);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      environment: ENV,
      passed: true,
      exit_code: 0,
      aws_not_evaluated: expect.stringContaining('no AWS account'),
      findings: [],
    });
    expect(res.json().aws_cells).toBeUndefined();
    expect((await get(app, true, '?include_matrix=true')).json().kafka_cells.length).toBeGreaterThan(0);
    await app.close();
  });

  it('fails with exit 4 and names the path when an uncleared principal can read MNPI', async () => {
    const app = await appWith([...deriveAcls(model, ENV), hole]);
    const body = (await get(app, true)).json();
    expect(body).toMatchObject({ passed: false, exit_code: 4 });
    expect(body.findings).toContainEqual(
      expect.objectContaining({ plane: 'kafka', status: 'violation', principal: 'User:outsider' }),
    );
    expect(JSON.stringify(body.findings)).toContain(mnpiTopic);
    await app.close();
  });

  it('is refused without clearance, whatever the role', async () => {
    const app = await appWith(deriveAcls(model, ENV));
    const res = await get(app, false);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('mnpi_clearance_required');
    await app.close();
  });
});
