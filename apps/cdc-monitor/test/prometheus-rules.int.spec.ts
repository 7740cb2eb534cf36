/**
 * The alerting and recording rules and the Grafana dashboard, checked with promtool (from the
 * Prometheus package the local stack installs), and the rules live in the local Prometheus: a leak
 * reaches the local Alertmanager on the critical route.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { applyModelTopics, monitorReady, pollUntil, withProducer } from './stack';
import { changeEvent, json } from './records';

const rulesDir = path.join(__dirname, '..', 'prometheus');
const ruleFiles = ['recording.rules.yml', 'alerts.rules.yml'].map((f) => path.join(rulesDir, f));
const dashboard = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'grafana', 'cdc-monitor.json'), 'utf8'),
) as {
  panels: { id: number; title: string; targets: { refId: string; expr: string }[] }[];
};
const promPort = Number(process.env.LAKEWALL_PROMETHEUS_PORT || 19090);
const amPort = Number(process.env.LAKEWALL_ALERTMANAGER_PORT || 19094);

function promtool(args: string[], cwd = rulesDir): string {
  return execFileSync('promtool', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('rules and dashboard, through promtool', () => {
  it('promtool check rules accepts every rule file', () => {
    expect(promtool(['check', 'rules', ...ruleFiles])).toMatch(
      /SUCCESS: 7 rules found[\s\S]*SUCCESS: 9 rules found/,
    );
  });

  it('promtool test rules passes the rules unit tests', () => {
    expect(promtool(['test', 'rules', 'rules.test.yml'])).toContain('SUCCESS');
  });

  it('every dashboard query parses (promtool check rules over one recording rule per query)', () => {
    const rules = dashboard.panels.flatMap((p) =>
      p.targets.map((t) => ({
        record: `dashboard:panel${p.id}_${t.refId}`,
        // Grafana's variables, as Grafana would expand them.
        expr: t.expr.replaceAll('$__rate_interval', '5m').replaceAll('$consumergroup', '.*'),
      })),
    );
    expect(rules.length).toBeGreaterThanOrEqual(dashboard.panels.length);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'dashboard.rules.yml'),
        stringify({ groups: [{ name: 'dashboard', rules }] }),
      );
      expect(promtool(['check', 'rules', 'dashboard.rules.yml'], dir)).toContain(
        `SUCCESS: ${rules.length} rules found`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the local Prometheus and Alertmanager', () => {
  beforeAll(async () => {
    await applyModelTopics();
    await monitorReady();
  });

  it('loads the rules and scrapes the monitor', async () => {
    const rules = (await (await fetch(`http://127.0.0.1:${promPort}/api/v1/rules`)).json()) as {
      data: { groups: { name: string }[] };
    };
    expect(rules.data.groups.map((g) => g.name)).toEqual(
      expect.arrayContaining(['lakewall-cdc-lag', 'lakewall-cdc-findings', 'lakewall-cdc-alerts']),
    );
    await pollUntil(
      'Prometheus to scrape the monitor',
      async () => {
        const r = (await (
          await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=up{job="cdc-monitor"}`)
        ).json()) as {
          data: { result: { value: [number, string] }[] };
        };
        return r.data.result.some((x) => x.value[1] === '1') ? true : undefined;
      },
      60_000,
    );
  });

  it('a leak fires CdcMnpiLeak in the local Alertmanager, routed to the critical receiver', async () => {
    await withProducer((p) =>
      p.send({
        topic: 'cdc.reference_data.public',
        messages: [{ key: json({ position: 1 }), value: changeEvent('positions') }],
      }),
    );
    const alert = await pollUntil(
      'CdcMnpiLeak in Alertmanager',
      async () => {
        const res = await fetch(
          `http://127.0.0.1:${amPort}/api/v2/alerts?filter=alertname%3D%22CdcMnpiLeak%22`,
        );
        const alerts = (await res.json()) as {
          labels: Record<string, string>;
          receivers: { name: string }[];
        }[];
        return alerts.find(
          (a) => a.labels.topic === 'cdc.reference_data.public' && a.labels.table === 'positions',
        );
      },
      120_000,
    );
    expect(alert.labels).toMatchObject({ severity: 'critical', kind: 'route_violation' });
    expect(alert.receivers.map((r) => r.name)).toEqual(['local-critical']);
  });
});
