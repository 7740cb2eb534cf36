import { buildAccessReport, EXIT, renderText, type AccessReport } from '@lakewall/access-proof';
import { expected, model, realTemplates } from './real-templates';

/** The gate: the repository's own templates, every environment, against the expected-access list. */
describe.each(['dev', 'staging', 'prod'])('the access proof of %s', (env) => {
  let report: AccessReport;
  beforeAll(async () => {
    report = await buildAccessReport({ model, templates: realTemplates(env), expected });
  });

  it('passes: every path into MNPI is expected or acknowledged, and no entry is stale', () => {
    const failing = report.findings.filter((f) => f.status !== 'acknowledged').map((f) => f.path);
    expect({ failing, stale: report.staleEntries }).toEqual({ failing: [], stale: [] });
    expect(report.exitCode).toBe(EXIT.ok);
  });

  it('evaluates every role the stacks create, the two outsiders, and the MNPI resources the model implies', () => {
    // A model principal with several roles (a sink and its tables' maintenance) reports one per role.
    const principals = report.aws.principals.map((p) => p.id.split('/')[0]);
    expect(principals).toEqual(
      expect.arrayContaining([
        'sink-mnpi',
        'sink-public',
        'finance-analysts',
        'data-analysts',
        'data-engineers',
        'account-admin',
        'broad-data-user',
      ]),
    );
    const resources = report.aws.resources.map((r) => r.id);
    expect(resources).toEqual(
      expect.arrayContaining([
        'bucket:ZonemnpiRawBucket',
        'bucket:ZonemnpiCuratedBucket',
        'bucket:ZonemnpiAnalyticsBucket',
        'bucket:ZonemnpiQueryResultsBucket',
        'key:ZonemnpiKey',
        'glue-database:lakewall_raw_mnpi',
        'glue-table:lakewall_raw_mnpi.trades',
        'workgroup:lakewall-finance-analysts',
        'query-results:lakewall-finance-analysts',
        'key:SourceDatabaseKey',
        // RDS keeps the admin password itself now; the Debezium role's secret and every Kafka
        // principal's SCRAM secret are the secrets that can open MNPI.
        'secret:DebeziumDatabaseSecret',
        'secret:KafkaScramSecretsinkmnpi',
        'database:SourceDatabaseInstance',
        'key:AuditKey',
        'bucket:AuditLogBucket',
      ]),
    );
    // Nothing of the public zone is in the matrix; the data analysts' workgroup is not MNPI-capable.
    // (The public sink's SCRAM secret carries no classification tag, so it is treated as MNPI: fail closed.)
    expect(resources.filter((r) => /public/i.test(r) && r !== 'secret:KafkaScramSecretsinkpublic')).toEqual(
      [],
    );
    expect(renderText(report)).toContain('Kafka matrix');
  });

  it('proves the MNPI zone key and data closed to everyone not cleared, outsiders included', () => {
    const readers = report.aws.cells
      .filter(
        (c) =>
          c.allowed &&
          ((c.resource === 'key:ZonemnpiKey' && c.access === 'decrypt') ||
            (/^bucket:Zonemnpi/.test(c.resource) && c.access === 'read')),
      )
      .map((c) => c.principal.split('/')[0]);
    expect([...new Set(readers)].sort()).toEqual(['data-engineers', 'finance-analysts', 'sink-mnpi']);
  });
});
