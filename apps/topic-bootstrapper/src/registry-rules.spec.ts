import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadPlatformModel } from '@lakewall/platform-model';
import { subjectCompatibilityRules } from '@lakewall/schema-rules';
import { EXIT } from './render';
import { applyRegistryRules } from './run';

const model = loadPlatformModel();
const logger = () => ({ debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() });

/** A stand-in registry answering every request with `status`; returns its ccompat URL and the paths it saw. */
async function registry(status: number) {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => res.writeHead(status, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/apis/ccompat/v7`;
  return { url, paths, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("apply's registry rules (LAKEWALL_REGISTRY_URL)", () => {
  it("sets every CDC subject's rule and exits 0", async () => {
    const r = await registry(200);
    try {
      const log = logger();
      expect(await applyRegistryRules(model, 'local', r.url, log)).toBe(EXIT.OK);
      expect(r.paths).toEqual(
        subjectCompatibilityRules(model, 'local').map(
          (s) => `PUT /apis/ccompat/v7/config/${encodeURIComponent(s.subject)}`,
        ),
      );
      expect(log.info).toHaveBeenCalled();
    } finally {
      await r.close();
    }
  });

  it('fails the run (exit 1) when the registry refuses a rule, so the deploy stops before the connectors', async () => {
    const r = await registry(500);
    try {
      const log = logger();
      expect(await applyRegistryRules(model, 'local', r.url, log)).toBe(EXIT.ERROR);
      expect(log.error).toHaveBeenCalledWith({ registry: r.url }, expect.stringContaining('HTTP 500'));
    } finally {
      await r.close();
    }
  });
});
