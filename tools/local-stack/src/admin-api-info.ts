/**
 * What `make start` prints about the admin API: its URL, the docs URL, one token per role (minted
 * by the API's own `npm run admin-token`, run as a command: the stack does not import services),
 * and a sample request, checked before it is printed.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from './paths';

const ROLES = ['viewer', 'operator', 'admin'] as const;

function mintToken(role: string, mnpi: boolean): string {
  const root = repoRoot();
  const args = [
    path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
    path.join(root, 'apps', 'admin-api', 'src', 'token-cli.ts'),
    '--role',
    role,
    '--ttl',
    '12h',
  ];
  if (mnpi) args.push('--mnpi');
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();
}

export async function printAdminApiInfo(endpoint: string, log: (m: string) => void): Promise<void> {
  log(`admin API: ${endpoint}   docs: ${endpoint}/docs   OpenAPI: ${endpoint}/openapi.json`);
  const tokens: Record<string, string> = {};
  for (const role of ROLES) {
    tokens[role] = mintToken(role, false);
    log(`token (${role}, not cleared for MNPI, 12h): ${tokens[role]}`);
  }
  const cleared = mintToken('admin', true);
  log(`token (admin, cleared for MNPI, 12h): ${cleared}`);
  const url = `${endpoint}/api/v1/topics`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${tokens.viewer}` } });
  if (!res.ok) throw new Error(`the sample request GET ${url} answered HTTP ${res.status}`);
  const body = (await res.json()) as { items: { name: string }[] };
  log(`sample request: curl -H "Authorization: Bearer <viewer token>" ${url}`);
  log(
    `  -> ${body.items.length} topics visible to a viewer without MNPI clearance: ${body.items.map((t) => t.name).join(', ')}`,
  );
}
