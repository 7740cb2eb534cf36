/**
 * The bootstrapper's first run on a cluster where it holds no ACLs: refused without break glass,
 * done with it (the break-glass identity creates only the bootstrapper's own ACLs; everything else
 * is applied as the bootstrapper), and break glass refused once it is no longer needed, unless the
 * run says `--break-glass-when-needed` (the deploy-time run): then it is skipped, and used again
 * only if the bootstrapper's ACLs are gone.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { localStackKafkaConfig, readLocalStackCredentials } from '@lakewall/kafka-connection';
import { kafkaPrincipal, type AclBinding } from '@lakewall/platform-model';
import { aclManagerOf } from '@lakewall/topic-admin';
import {
  addAcl,
  cleanupPrefix,
  removeAcl,
  testPrefix,
  variantModelText,
} from '@lakewall/topic-admin/testing';
import { loadPlatformModel } from '@lakewall/platform-model';
import { readAclsOf } from './acls-of';

const root = path.resolve(__dirname, '../../..');
const prefix = testPrefix('breakglass');
const dir = mkdtempSync(path.join(tmpdir(), 'topics-break-glass-'));
const modelFile = path.join(dir, 'platform.yaml');
writeFileSync(modelFile, variantModelText(prefix));
const manager = aclManagerOf(loadPlatformModel(), 'local');
const creds = readLocalStackCredentials()!;

/** `apply --env local --json` as the bootstrapper itself, with extra environment. */
function applyAsBootstrapper(extra: Record<string, string> = {}) {
  const r = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/tsx/dist/cli.mjs'),
      'apps/topic-bootstrapper/src/main.ts',
      'apply',
      '--env',
      'local',
      '--json',
    ],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        ...process.env,
        LAKEWALL_MODEL: modelFile,
        LAKEWALL_KAFKA_BROKERS: (localStackKafkaConfig('admin').brokers as string[]).join(','),
        LAKEWALL_KAFKA_USERNAME: manager,
        LAKEWALL_KAFKA_PASSWORD: creds.kafka[manager]!,
        ...extra,
      },
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const breakGlass = {
  LAKEWALL_BREAK_GLASS_USERNAME: 'admin',
  LAKEWALL_BREAK_GLASS_PASSWORD: creds.kafka.admin!,
};

describe('the first run on a cluster where the bootstrapper holds no ACLs', () => {
  let saved: AclBinding[] = [];

  beforeAll(async () => {
    // A cluster never bootstrapped: the bootstrapper's own ACLs are gone (kept to put back after).
    saved = await readAclsOf(kafkaPrincipal(manager));
    for (const acl of saved) await removeAcl(acl);
  });

  afterAll(async () => {
    for (const acl of await readAclsOf(kafkaPrincipal(manager))) await removeAcl(acl);
    for (const acl of saved) await addAcl(acl);
    await cleanupPrefix(prefix);
  });

  it('is refused without break glass, naming the missing rights', () => {
    const r = applyAsBootstrapper();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /bootstrapper may not describe this cluster's ACLs.*break-glass.*Nothing was changed/,
    );
  });

  it('succeeds with break glass: the bootstrapper gets its own ACLs, then applies the rest itself', async () => {
    const r = applyAsBootstrapper(breakGlass);
    expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stderr).toMatch(/break glass/);
    const own = await readAclsOf(kafkaPrincipal(manager));
    expect(own.length).toBeGreaterThan(0);
    // Created by the bootstrapper's apply after that: the variant model's topics exist.
    const envelope = JSON.parse(r.stdout) as { apply: { outcome: string } };
    expect(envelope.apply.outcome).toMatch(/applied|no-changes/);
  });

  it('refuses break glass once the bootstrapper holds its ACLs, and the normal run needs none', () => {
    const refused = applyAsBootstrapper(breakGlass);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already holds its ACLs/);
    expect(applyAsBootstrapper().code).toBe(0);
  });

  it('with --break-glass-when-needed, skips it while the bootstrapper holds its ACLs', () => {
    const r = applyAsBootstrapper({ ...breakGlass, LAKEWALL_BREAK_GLASS_WHEN_NEEDED: 'true' });
    expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stderr).toMatch(/break glass not needed/);
    expect(r.stderr).not.toMatch(/break glass used/);
  });

  it('with --break-glass-when-needed, uses it again when the bootstrapper has lost its ACLs', async () => {
    for (const acl of await readAclsOf(kafkaPrincipal(manager))) await removeAcl(acl);
    const r = applyAsBootstrapper({ ...breakGlass, LAKEWALL_BREAK_GLASS_WHEN_NEEDED: 'true' });
    expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stderr).toMatch(/break glass used/);
    expect((await readAclsOf(kafkaPrincipal(manager))).length).toBeGreaterThan(0);
  });
});
