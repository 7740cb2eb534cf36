import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseDocument } from 'yaml';
import {
  DEFAULT_MODEL_PATH,
  cdcSubjects,
  loadPlatformModel,
  parsePlatformModel,
  tablesOf,
} from '@lakewall/platform-model';
import { readFileSync } from 'node:fs';
import {
  applySubjectCompatibility,
  subjectCompatibility,
  subjectCompatibilityRules,
} from './subject-compatibility';

const model = loadPlatformModel();

function withWireFormat(env: string, format: 'avro' | 'json') {
  const doc = parseDocument(readFileSync(DEFAULT_MODEL_PATH, 'utf8'));
  doc.setIn(['environments', env, 'wireFormat'], format);
  return parsePlatformModel(doc.toString());
}

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly contentType?: string;
  readonly body: string;
}

/** An in-process stand-in for the registry's Confluent API: records each request, answers `reply`. */
async function registryStub(
  reply: (req: Seen) => { status: number; body?: unknown },
): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const s = { method: req.method!, url: req.url!, contentType: req.headers['content-type'], body };
      seen.push(s);
      const r = reply(s);
      res.writeHead(r.status, { 'content-type': 'application/json' });
      res.end(r.body === undefined ? '' : JSON.stringify(r.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/apis/ccompat/v7`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('subject compatibility rules', () => {
  it("are the model's CDC subjects, each with its table's rule, for an Avro environment", () => {
    const avro = withWireFormat('prod', 'avro');
    const rules = subjectCompatibilityRules(avro, 'prod');
    expect(rules).toEqual(
      cdcSubjects(avro, 'prod').map((s) => ({ subject: s.subject, compatibility: s.compatibility })),
    );
    // A key and a value subject per table.
    expect(rules).toHaveLength(tablesOf(avro).length * 2);
  });

  it('are none where the environment writes JSON (no registry in the path)', () => {
    expect(subjectCompatibilityRules(withWireFormat('prod', 'json'), 'prod')).toEqual([]);
  });
});

describe('applySubjectCompatibility (against an in-process HTTP server)', () => {
  it("PUTs each subject's rule to /config/{subject} in the Confluent content type", async () => {
    const stub = await registryStub((r) => ({ status: 200, body: JSON.parse(r.body) }));
    try {
      const applied = await applySubjectCompatibility(model, 'local', `${stub.url}/`);
      const rules = subjectCompatibilityRules(model, 'local');
      expect(rules.length).toBeGreaterThan(0);
      expect(applied).toEqual(rules);
      expect(stub.seen).toEqual(
        rules.map((r) => ({
          method: 'PUT',
          url: `/apis/ccompat/v7/config/${encodeURIComponent(r.subject)}`,
          contentType: 'application/vnd.schemaregistry.v1+json',
          body: JSON.stringify({ compatibility: r.compatibility }),
        })),
      );
    } finally {
      await stub.close();
    }
  });

  it('stops at the first refusal and names the subject and the status', async () => {
    const stub = await registryStub(() => ({ status: 422, body: { error_code: 42203 } }));
    try {
      const first = subjectCompatibilityRules(model, 'local')[0]!;
      await expect(applySubjectCompatibility(model, 'local', stub.url)).rejects.toThrow(
        `registry: setting ${first.subject}'s compatibility failed: HTTP 422`,
      );
      expect(stub.seen).toHaveLength(1);
    } finally {
      await stub.close();
    }
  });

  it('sends nothing where the environment writes JSON', async () => {
    const stub = await registryStub(() => ({ status: 500 }));
    try {
      expect(await applySubjectCompatibility(withWireFormat('dev', 'json'), 'dev', stub.url)).toEqual([]);
      expect(stub.seen).toEqual([]);
    } finally {
      await stub.close();
    }
  });
});

describe('subjectCompatibility', () => {
  it("reads a subject's rule with GET /config/{subject}, and undefined for 404", async () => {
    const stub = await registryStub((r) =>
      r.url.endsWith('/config/known')
        ? { status: 200, body: { compatibilityLevel: 'FULL' } }
        : { status: 404 },
    );
    try {
      expect(await subjectCompatibility(stub.url, 'known')).toBe('FULL');
      expect(await subjectCompatibility(stub.url, 'unknown')).toBeUndefined();
      expect(stub.seen.map((s) => [s.method, s.url])).toEqual([
        ['GET', '/apis/ccompat/v7/config/known'],
        ['GET', '/apis/ccompat/v7/config/unknown'],
      ]);
    } finally {
      await stub.close();
    }
  });
});
