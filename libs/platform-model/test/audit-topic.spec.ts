import { auditReaderGroupPrefix, deriveAcls, deriveAuditTopic, loadPlatformModel } from '../src';

const model = loadPlatformModel();

describe('deriveAuditTopic', () => {
  it('is an MNPI topic kept for the environment audit retention', () => {
    const prod = deriveAuditTopic(model, 'prod');
    expect(prod.zone).toBe('mnpi');
    expect(prod.name).toBe(model.kafka.auditTopic.name);
    expect(prod.configs['retention.ms']).toBe(
      String(model.environments.prod.audit!.retentionDays * 86_400_000),
    );
    expect(prod.configs['cleanup.policy']).toBe('delete');
  });

  it('falls back to the lake retention where the environment sets no audit retention', () => {
    expect(deriveAuditTopic(model, 'local').configs['retention.ms']).toBe(
      String(model.environments.local.lake.retentionDays * 86_400_000),
    );
  });

  it('may be written only by the principal with appendAudit', () => {
    const name = deriveAuditTopic(model, 'local').name;
    const writers = deriveAcls(model, 'local')
      .filter((a) => a.resourceName === name && a.operation === 'WRITE')
      .map((a) => a.principal);
    expect(writers).toEqual(['User:admin-api']);
  });

  it('may be read back only by the principal with readAudit, with groups under its own prefix', () => {
    const name = deriveAuditTopic(model, 'local').name;
    const acls = deriveAcls(model, 'local');
    expect(
      acls.filter((a) => a.resourceName === name && a.operation === 'READ').map((a) => a.principal),
    ).toEqual(['User:admin-api']);
    expect(acls).toContainEqual(
      expect.objectContaining({
        principal: 'User:admin-api',
        resourceType: 'GROUP',
        patternType: 'PREFIXED',
        resourceName: auditReaderGroupPrefix(model, 'admin-api'),
        operation: 'READ',
      }),
    );
  });
});
