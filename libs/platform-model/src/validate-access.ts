import type { ModelIssue } from './validate';
import type { PlatformModel } from './schema';
import { principalsIn } from './derive/tables';

type Add = (path: (string | number)[], message: string) => void;

/**
 * Rules about people: who administers keys, who reads the audit trail, and who may assume each human
 * role in each cloud environment. Anything the model does not name is refused (fail closed).
 */
export function validateAccess(model: PlatformModel): ModelIssue[] {
  const issues: ModelIssue[] = [];
  const add: Add = (path, message) => issues.push({ path, message });
  checkDuties(model, add);
  for (const env of ['dev', 'staging', 'prod'] as const) checkEnvironmentAccess(model, env, add);
  return issues;
}

function checkDuties(model: PlatformModel, add: Add): void {
  const keyAdmins: string[] = [];
  for (const [name, p] of Object.entries(model.principals)) {
    const at = (...rest: (string | number)[]) => ['principals', name, ...rest];
    if (p.administersKeys) {
      keyAdmins.push(name);
      if (p.kind !== 'human') add(at('administersKeys'), 'only a human principal administers keys');
      // Administration is separate from use: the key administrator never reads or writes data.
      if (p.kafka || p.lake || p.readsAuditTrail)
        add(
          at('administersKeys'),
          'the key administrator may hold no data grant (kafka, lake, readsAuditTrail)',
        );
    }
    if (p.readsAuditTrail) {
      if (p.kind !== 'human') add(at('readsAuditTrail'), 'only a human principal reads the audit trail');
      if (p.clearance !== 'mnpi')
        add(
          at('readsAuditTrail'),
          'the audit trail holds query text that may carry MNPI: readers must be cleared for mnpi',
        );
    }
  }
  if (keyAdmins.length !== 1)
    add(['principals'], `exactly one principal must have administersKeys: true (found ${keyAdmins.length})`);
}

function checkEnvironmentAccess(model: PlatformModel, env: 'dev' | 'staging' | 'prod', add: Add): void {
  const spec = model.environments[env];
  const at = (...rest: (string | number)[]) => ['environments', env, 'access', ...rest];
  if (!spec.access) {
    add(
      ['environments', env, 'access'],
      `is required for the cloud environment "${env}": it says who may assume each human role`,
    );
    return;
  }
  const humans = principalsIn(model, env).filter((p) => p.kind === 'human');
  const humanNames = new Set(humans.map((p) => p.name));
  for (const p of humans) {
    if (!spec.access.roles[p.name])
      add(at('roles'), `human principal "${p.name}" has no entry: say who may assume its role in ${env}`);
  }
  const usesData = new Set(humans.filter((p) => p.lake || p.readsAuditTrail).map((p) => p.name));
  const keyAdmin = humans.find((p) => p.administersKeys)?.name;
  const adminAssumers = new Set(
    keyAdmin
      ? [
          ...(spec.access.roles[keyAdmin]?.permissionSets ?? []),
          ...(spec.access.roles[keyAdmin]?.iamUsers ?? []),
        ]
      : [],
  );
  for (const [role, assumers] of Object.entries(spec.access.roles)) {
    if (!humanNames.has(role)) {
      add(at('roles', role), `"${role}" is not a human principal of the model present in ${env}`);
      continue;
    }
    if (assumers.permissionSets.length + assumers.iamUsers.length === 0)
      add(
        at('roles', role),
        'names nobody: list permissionSets or iamUsers (an unassumable role is a model error)',
      );
    assumers.iamUsers.forEach((arn, i) => {
      if (spec.account && arn.split(':')[4] !== spec.account)
        add(at('roles', role, 'iamUsers', i), `is not in the ${env} account ${spec.account}`);
    });
    if (usesData.has(role)) {
      [...assumers.permissionSets, ...assumers.iamUsers].forEach((who) => {
        if (adminAssumers.has(who))
          add(
            at('roles', role),
            `"${who}" also administers keys: key administration and data use stay separate`,
          );
      });
    }
  }
}
