/**
 * The docs UI, opened in headless Chromium (Debian's package): served from the installed
 * swagger-ui package with no request leaving 127.0.0.1, it shows every operation of the OpenAPI
 * document. The page needs no backing service, so the app runs on in-memory sources here.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { fakes, testApp } from './support';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Debian's Chromium, installed with apt-get when missing and running as root (as the stack does). */
function findChromium(): string {
  const found = () => CANDIDATES.find((p) => fs.existsSync(p));
  if (!found() && process.getuid?.() === 0) {
    const apt = {
      stdio: 'ignore' as const,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: 600_000,
    };
    execFileSync('apt-get', ['update'], apt);
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], apt);
  }
  const path = found();
  if (!path) throw new Error('headless Chromium is needed for this test: apt-get install chromium');
  return path;
}

let CHROMIUM: string;

let app: FastifyInstance;
let base: string;
beforeAll(async () => {
  CHROMIUM = findChromium();
  app = await testApp(fakes());
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(() => app?.close());

/** Asynchronous: the server under test runs in this process and must keep answering. */
async function renderedDom(url: string): Promise<string> {
  const { stdout } = await promisify(execFile)(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--virtual-time-budget=15000',
      '--dump-dom',
      url,
    ],
    { encoding: 'utf8', timeout: 90_000, maxBuffer: 32 * 1024 * 1024 },
  );
  return stdout;
}

it('shows every operation of the OpenAPI document', async () => {
  const doc = (await app.inject({ url: '/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  const expected = Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`))
    .sort();
  const dom = await renderedDom(`${base}/docs/`);
  const shown = [...dom.matchAll(/class="opblock opblock-(\w+)[^"]*"[\s\S]*?data-path="([^"]+)"/g)]
    .map((m) => `${m[1]} ${m[2]!.replace(/&amp;/g, '&')}`)
    .sort();
  expect(expected.length).toBeGreaterThan(20);
  expect(shown).toEqual(expected);
});

it('loads its scripts and styles from this server, not from a CDN', async () => {
  const html = (await app.inject({ url: '/docs/' })).body;
  const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  expect(sources.length).toBeGreaterThan(2);
  for (const s of sources) expect(s).not.toMatch(/^(https?:)?\/\//);
  const csp = (await app.inject({ url: '/docs/' })).headers['content-security-policy'] as string;
  expect(csp).not.toMatch(/https?:/);
});
