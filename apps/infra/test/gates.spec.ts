import { listAcknowledgments, TAG_KEYS } from '@lakewall/infra-constructs';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNagGate } from '../src/gates/nag-gate';
import { synthAll } from '../src/synth-all';
import { buildAll, CLOUD_ENVIRONMENTS, logicalId } from './fixtures';

describe.each(CLOUD_ENVIRONMENTS)('gates in %s', (env) => {
  const { model, stages, templates } = buildAll();
  const stage = stages.get(env)!;

  it('cdk-nag AwsSolutions and NIST 800-53 rev5 report zero unacknowledged findings', () => {
    const result = runNagGate(stage);
    expect(result.findings).toEqual([]);
    expect(result.acknowledged).toBeGreaterThan(0);
  });

  it('every acknowledgment names one rule (one finding) and gives a reason', () => {
    for (const ack of listAcknowledgments(stage)) {
      expect(ack.rule).toMatch(/^(AwsSolutions|NIST\.800\.53\.R5)-\w+(\[[^\]]+\])?$/);
      expect(ack.reason.length).toBeGreaterThanOrEqual(20);
    }
  });

  it('no rule is acknowledged on a whole stack or stage', () => {
    const broad = listAcknowledgments(stage).filter((a) => a.path.split('/').length <= 2);
    expect(broad).toEqual([]);
  });

  it('tags every taggable resource with project, environment and cost centre', () => {
    const resources = templates.get(env)!.toJSON().Resources as Record<
      string,
      { Type: string; Properties?: { Tags?: unknown } }
    >;
    let tagged = 0;
    for (const [id, r] of Object.entries(resources)) {
      const tags = r.Properties?.Tags;
      if (!Array.isArray(tags)) continue;
      tagged++;
      const asMap = Object.fromEntries(tags.map((t: { Key: string; Value: string }) => [t.Key, t.Value]));
      expect([id, asMap[TAG_KEYS.project], asMap[TAG_KEYS.environment], asMap[TAG_KEYS.costCentre]]).toEqual([
        id,
        model.project,
        env,
        model.costCentre,
      ]);
    }
    expect(tagged).toBeGreaterThan(30);
  });

  it('classifies each zone resource with its zone', () => {
    const resources = templates.get(env)!.toJSON().Resources;
    const classification = (id: string) =>
      Object.fromEntries(
        (resources[id].Properties.Tags ?? []).map((t: { Key: string; Value: string }) => [t.Key, t.Value]),
      )[TAG_KEYS.classification];
    for (const [zone, lakeZone] of stage.infra.zones) {
      expect(classification(logicalId(lakeZone.key))).toBe(zone);
      for (const bucket of lakeZone.buckets) expect(classification(logicalId(bucket))).toBe(zone);
    }
    expect(classification(logicalId(stage.infra.database.instance))).toBe('mnpi');
  });
});

describe('synthAll', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'lakewall-synth-all-'));
  const summary = synthAll(outdir);

  it('writes one template per environment and passes the gates', () => {
    expect(summary.passed).toBe(true);
    expect(summary.environments.map((e) => e.environment)).toEqual([...CLOUD_ENVIRONMENTS]);
    for (const env of summary.environments) {
      const names = env.stacks.map((s) => s.name);
      expect([...names].sort()).toEqual([
        `lakewall-${env.environment}-data-plane`,
        `lakewall-${env.environment}-deploy-access`,
        `lakewall-${env.environment}-infra`,
      ]);
      // The data plane deploys after the infra stack it builds on.
      expect(names.indexOf(`lakewall-${env.environment}-infra`)).toBeLessThan(
        names.indexOf(`lakewall-${env.environment}-data-plane`),
      );
      for (const stack of env.stacks) expect(existsSync(stack.templateFile)).toBe(true);
      expect(env.nag.findings).toBe(0);
      expect(env.nag.acknowledged).toBeGreaterThan(0);
    }
  });

  it('counts resources by type', () => {
    const dev = summary.environments
      .find((e) => e.environment === 'dev')!
      .stacks.find((s) => s.name === 'lakewall-dev-infra')!;
    expect(dev.resourcesByType['AWS::Athena::WorkGroup']).toBe(3);
    expect(dev.resourcesByType['AWS::Glue::Database']).toBe(6);
    expect(Object.values(dev.resourcesByType).reduce((a, b) => a + b, 0)).toBe(dev.resourceCount);
  });
});
