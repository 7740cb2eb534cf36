import {
  PlatformModelError,
  deriveHumanAccess,
  keyAdministrator,
  loadPlatformModel,
  parsePlatformModel,
  permissionSetRoleArns,
} from '../src';
import { editedModel } from './fixtures';

function issuesOf(text: string): string[] {
  try {
    parsePlatformModel(text, 'platform.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(PlatformModelError);
    return (e as PlatformModelError).message
      .split('\n')
      .slice(1)
      .map((l) => l.trim());
  }
  throw new Error('expected the model to be rejected');
}

const model = loadPlatformModel();

describe('deriveHumanAccess', () => {
  const prod = deriveHumanAccess(model, 'prod');
  const role = (name: string) => prod.roles.find((r) => r.principal === name)!;

  it('has one role per human principal of the environment, named <project>-<env>-<principal>', () => {
    expect(prod.roles.map((r) => r.roleName).sort()).toEqual([
      'lakewall-prod-auditors',
      'lakewall-prod-data-analysts',
      'lakewall-prod-data-engineers',
      'lakewall-prod-finance-analysts',
      'lakewall-prod-key-admins',
    ]);
  });

  it('admits exactly the permission sets and IAM users the model lists for that role and environment', () => {
    expect(role('finance-analysts').assumedBy).toEqual({
      permissionSetRoleArns: permissionSetRoleArns('333333333333', 'LakewallProdFinanceAnalysts'),
      iamUsers: [],
    });
    expect(role('data-engineers').assumedBy.iamUsers).toEqual([
      'arn:aws:iam::333333333333:user/lakewall-break-glass',
    ]);
    const dev = deriveHumanAccess(model, 'dev').roles.find((r) => r.principal === 'data-engineers')!;
    expect(dev.assumedBy.iamUsers).toEqual([]);
    expect(JSON.stringify(dev.assumedBy)).toContain(':111111111111:');
    expect(JSON.stringify(dev.assumedBy)).not.toContain('Prod');
  });

  it('matches only the permission set roles IAM Identity Center provisions, with their 16-character hash', () => {
    expect(permissionSetRoleArns('333333333333', 'Finance')).toEqual([
      'arn:aws:iam::333333333333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Finance_????????????????',
      'arn:aws:iam::333333333333:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Finance_????????????????',
    ]);
  });

  it('requires MFA for MNPI query roles and for key and audit duties, not for public-only queries', () => {
    expect(Object.fromEntries(prod.roles.map((r) => [r.principal, r.mfa]))).toEqual({
      'finance-analysts': true,
      'data-analysts': false,
      'data-engineers': true,
      'key-admins': true,
      auditors: true,
    });
  });

  it('takes the MFA age bound and identity-provider tags from the environment', () => {
    expect(prod).toMatchObject({
      mfaMaxAgeSeconds: 900,
      mfaTag: 'lakewall-mfa',
      identityTag: 'lakewall-user',
    });
    expect(deriveHumanAccess(model, 'dev').mfaMaxAgeSeconds).toBe(3600);
  });

  it('names one key administrator, who holds no data grant', () => {
    const admin = keyAdministrator(prod);
    expect(admin.principal).toBe('key-admins');
    expect(admin.readsAuditTrail).toBe(false);
    expect(model.principals['key-admins']!.lake).toBeUndefined();
  });
});

describe('access validation (located errors)', () => {
  it('requires an access section in every cloud environment', () => {
    const text = editedModel((doc) => doc.deleteIn(['environments', 'staging', 'access']));
    expect(issuesOf(text).join('\n')).toMatch(
      /^platform\.yaml:\d+:\d+ environments\.staging\.access: is required for the cloud environment "staging"/m,
    );
  });

  it('refuses a human principal nobody is listed for (fail closed)', () => {
    const text = editedModel((doc) => doc.deleteIn(['environments', 'dev', 'access', 'roles', 'auditors']));
    expect(issuesOf(text).join('\n')).toMatch(
      /environments\.dev\.access\.roles: human principal "auditors" has no entry/,
    );
  });

  it('refuses an entry that names nobody, or a role that is not a human principal', () => {
    const text = editedModel((doc) => {
      doc.setIn(['environments', 'dev', 'access', 'roles', 'finance-analysts', 'permissionSets'], []);
      doc.setIn(['environments', 'dev', 'access', 'roles', 'monitor'], { permissionSets: ['X'] });
    });
    const issues = issuesOf(text).join('\n');
    expect(issues).toMatch(/environments\.dev\.access\.roles\.finance-analysts: names nobody/);
    expect(issues).toMatch(/environments\.dev\.access\.roles\.monitor: "monitor" is not a human principal/);
  });

  it("refuses an IAM user from another environment's account, pointing at the item", () => {
    const text = editedModel((doc) =>
      doc.setIn(
        ['environments', 'dev', 'access', 'roles', 'data-engineers', 'iamUsers'],
        ['arn:aws:iam::333333333333:user/someone'],
      ),
    );
    const [issue] = issuesOf(text).filter((i) => i.includes('iamUsers'));
    expect(issue).toMatch(
      /^platform\.yaml:\d+:\d+ environments\.dev\.access\.roles\.data-engineers\.iamUsers\[0\]: is not in the dev account 111111111111/,
    );
    const line = Number(issue!.split(':')[1]);
    expect(text.split('\n')[line - 1]).toContain('arn:aws:iam::333333333333:user/someone');
  });

  it('rejects a malformed IAM user ARN and a too-long MFA age', () => {
    const text = editedModel((doc) => {
      doc.setIn(
        ['environments', 'dev', 'access', 'roles', 'data-engineers', 'iamUsers'],
        ['arn:aws:iam::1:role/x'],
      );
      doc.setIn(['environments', 'dev', 'access', 'mfaMaxAgeSeconds'], 86_400);
    });
    const issues = issuesOf(text).join('\n');
    expect(issues).toMatch(/data-engineers\.iamUsers\[0\]: must be an IAM user ARN/);
    expect(issues).toMatch(/environments\.dev\.access\.mfaMaxAgeSeconds: /);
  });

  it('keeps key administration apart from data use', () => {
    const text = editedModel((doc) => {
      doc.setIn(['principals', 'key-admins', 'readsAuditTrail'], true);
      doc.setIn(
        ['environments', 'prod', 'access', 'roles', 'finance-analysts', 'permissionSets'],
        ['LakewallProdKeyAdmins'],
      );
    });
    const issues = issuesOf(text).join('\n');
    expect(issues).toMatch(
      /principals\.key-admins\.administersKeys: the key administrator may hold no data grant/,
    );
    expect(issues).toMatch(
      /environments\.prod\.access\.roles\.finance-analysts: "LakewallProdKeyAdmins" also administers keys/,
    );
  });

  it('needs exactly one key administrator', () => {
    const text = editedModel((doc) => doc.deleteIn(['principals', 'key-admins', 'administersKeys']));
    expect(issuesOf(text).join('\n')).toMatch(
      /principals: exactly one principal must have administersKeys: true \(found 0\)/,
    );
  });

  it('lets only MNPI-cleared humans read the audit trail', () => {
    const text = editedModel((doc) => doc.setIn(['principals', 'auditors', 'clearance'], 'public'));
    expect(issuesOf(text).join('\n')).toMatch(
      /principals\.auditors\.readsAuditTrail: the audit trail holds query text that may carry MNPI/,
    );
  });
});
