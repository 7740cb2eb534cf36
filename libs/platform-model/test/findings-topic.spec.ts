import {
  deriveAcls,
  deriveAuditTopic,
  deriveClassification,
  deriveFindingsTopic,
  deriveMonitorDeployment,
  findingsReaderGroupPrefix,
  loadPlatformModel,
  zoneOf,
} from '../src';

const model = loadPlatformModel();

describe('deriveFindingsTopic', () => {
  it('is MNPI, kept like the audit log, and the topic the monitor records to', () => {
    const t = deriveFindingsTopic(model, 'prod');
    expect(t).toMatchObject({ name: model.kafka.findingsTopic.name, zone: 'mnpi' });
    expect(t.configs).toEqual(deriveAuditTopic(model, 'prod').configs);
    expect(deriveMonitorDeployment(model, 'prod').findingsTopic).toBe(t.name);
    expect(zoneOf(deriveClassification(model, 'prod'), 'topic', t.name)).toBe('mnpi');
  });

  it('is written by the monitor and the admin API (acknowledgments) only, and read by the admin API only', () => {
    const name = deriveFindingsTopic(model, 'local').name;
    const acls = deriveAcls(model, 'local').filter((a) => a.resourceName === name);
    const by = (op: string) =>
      acls
        .filter((a) => a.operation === op)
        .map((a) => a.principal)
        .sort();
    expect(by('WRITE')).toEqual(['User:admin-api', 'User:monitor']);
    expect(by('READ')).toEqual(['User:admin-api']);
    expect(deriveAcls(model, 'local')).toContainEqual(
      expect.objectContaining({
        principal: 'User:admin-api',
        resourceType: 'GROUP',
        patternType: 'PREFIXED',
        resourceName: findingsReaderGroupPrefix(model, 'admin-api'),
        operation: 'READ',
      }),
    );
  });
});
