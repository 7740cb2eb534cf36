import type { AclBinding, AclOperation } from '@lakewall/platform-model';
import { aclCoversOperation, effectiveAccess, OTHER_HOST } from './evaluator';

const T = 'cdc.trades.mnpi';

function acl(p: Partial<AclBinding> & { operation: AclOperation }): AclBinding {
  return {
    principal: 'User:sink-public',
    host: '*',
    resourceType: 'TOPIC',
    resourceName: T,
    patternType: 'LITERAL',
    permission: 'ALLOW',
    ...p,
  };
}

const can = (
  acls: AclBinding[],
  operation: AclOperation,
  principal = 'User:sink-public',
  topic = T,
  host?: string,
) => effectiveAccess(acls, { principal, resource: { type: 'TOPIC', name: topic }, operation, host }).allowed;

describe('effectiveAccess: resource matching', () => {
  it('denies by default with no ACLs', () => {
    expect(can([], 'READ')).toBe(false);
  });
  it('literal ACL on the exact topic grants', () => {
    expect(can([acl({ operation: 'READ' })], 'READ')).toBe(true);
  });
  it('literal ACL on another topic does not grant', () => {
    expect(can([acl({ operation: 'READ', resourceName: 'cdc.trades.mnpi2' })], 'READ')).toBe(false);
  });
  it('literal name is not a prefix', () => {
    expect(can([acl({ operation: 'READ', resourceName: 'cdc.' })], 'READ')).toBe(false);
  });
  it('literal wildcard * grants on every topic', () => {
    expect(can([acl({ operation: 'READ', resourceName: '*' })], 'READ')).toBe(true);
  });
  it('prefixed ACL grants on topics starting with the prefix', () => {
    expect(can([acl({ operation: 'READ', patternType: 'PREFIXED', resourceName: 'cdc.tr' })], 'READ')).toBe(
      true,
    );
  });
  it('prefixed ACL equal to the full name grants', () => {
    expect(can([acl({ operation: 'READ', patternType: 'PREFIXED', resourceName: T })], 'READ')).toBe(true);
  });
  it('prefixed ACL that is not a prefix does not grant', () => {
    expect(can([acl({ operation: 'READ', patternType: 'PREFIXED', resourceName: 'cdc.tx' })], 'READ')).toBe(
      false,
    );
  });
  it('prefixed "*" is a literal star prefix, not a wildcard', () => {
    expect(can([acl({ operation: 'READ', patternType: 'PREFIXED', resourceName: '*' })], 'READ')).toBe(false);
  });
  it('an empty prefix covers everything', () => {
    expect(can([acl({ operation: 'READ', patternType: 'PREFIXED', resourceName: '' })], 'READ')).toBe(true);
  });
  it('GROUP and CLUSTER ACLs never grant topic access', () => {
    expect(can([acl({ operation: 'ALL', resourceType: 'GROUP', resourceName: '*' })], 'READ')).toBe(false);
    expect(
      can([acl({ operation: 'ALL', resourceType: 'CLUSTER', resourceName: 'kafka-cluster' })], 'READ'),
    ).toBe(false);
  });
});

describe('effectiveAccess: principal matching', () => {
  it('an ACL for another principal does not grant', () => {
    expect(can([acl({ operation: 'READ', principal: 'User:sink-mnpi' })], 'READ')).toBe(false);
  });
  it('User:* grants every principal', () => {
    expect(can([acl({ operation: 'READ', principal: 'User:*' })], 'READ')).toBe(true);
    expect(can([acl({ operation: 'READ', principal: 'User:*' })], 'READ', 'User:anyone')).toBe(true);
  });
  it('principal names are exact (no prefix semantics)', () => {
    expect(can([acl({ operation: 'READ', principal: 'User:sink' })], 'READ')).toBe(false);
  });
});

describe('effectiveAccess: operations', () => {
  it('ALL grants every operation', () => {
    for (const op of [
      'READ',
      'WRITE',
      'DESCRIBE',
      'ALTER',
      'DELETE',
      'DESCRIBE_CONFIGS',
      'ALTER_CONFIGS',
    ] as AclOperation[]) {
      expect(can([acl({ operation: 'ALL' })], op)).toBe(true);
    }
  });
  it.each(['READ', 'WRITE', 'DELETE', 'ALTER', 'DESCRIBE'] as AclOperation[])('%s implies DESCRIBE', (op) => {
    expect(can([acl({ operation: op })], 'DESCRIBE')).toBe(true);
  });
  it.each(['CREATE', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS', 'IDEMPOTENT_WRITE'] as AclOperation[])(
    '%s does not imply DESCRIBE',
    (op) => {
      expect(can([acl({ operation: op })], 'DESCRIBE')).toBe(false);
    },
  );
  it('ALTER_CONFIGS implies DESCRIBE_CONFIGS', () => {
    expect(can([acl({ operation: 'ALTER_CONFIGS' })], 'DESCRIBE_CONFIGS')).toBe(true);
  });
  it('ALTER does not imply ALTER_CONFIGS or DESCRIBE_CONFIGS', () => {
    expect(can([acl({ operation: 'ALTER' })], 'ALTER_CONFIGS')).toBe(false);
    expect(can([acl({ operation: 'ALTER' })], 'DESCRIBE_CONFIGS')).toBe(false);
  });
  it('READ does not imply WRITE and vice versa', () => {
    expect(can([acl({ operation: 'READ' })], 'WRITE')).toBe(false);
    expect(can([acl({ operation: 'WRITE' })], 'READ')).toBe(false);
  });
  it('DESCRIBE does not imply READ', () => {
    expect(can([acl({ operation: 'DESCRIBE' })], 'READ')).toBe(false);
  });
});

describe('effectiveAccess: DENY', () => {
  it('a matching DENY cancels the ALLOW', () => {
    expect(can([acl({ operation: 'READ' }), acl({ operation: 'READ', permission: 'DENY' })], 'READ')).toBe(
      false,
    );
  });
  it('DENY ALL cancels everything', () => {
    const acls = [acl({ operation: 'ALL' }), acl({ operation: 'ALL', permission: 'DENY' })];
    expect(can(acls, 'READ')).toBe(false);
    expect(can(acls, 'DESCRIBE')).toBe(false);
  });
  it('DENY READ does not deny the DESCRIBE that ALLOW READ implies', () => {
    const acls = [acl({ operation: 'READ' }), acl({ operation: 'READ', permission: 'DENY' })];
    expect(can(acls, 'DESCRIBE')).toBe(true);
  });
  it('DENY DESCRIBE denies DESCRIBE even if READ is allowed', () => {
    const acls = [acl({ operation: 'READ' }), acl({ operation: 'DESCRIBE', permission: 'DENY' })];
    expect(can(acls, 'DESCRIBE')).toBe(false);
    expect(can(acls, 'READ')).toBe(true);
  });
  it('a wildcard-principal DENY cancels a specific ALLOW', () => {
    expect(
      can(
        [acl({ operation: 'READ' }), acl({ operation: 'READ', permission: 'DENY', principal: 'User:*' })],
        'READ',
      ),
    ).toBe(false);
  });
  it('a DENY for another principal does not cancel', () => {
    expect(
      can(
        [acl({ operation: 'READ' }), acl({ operation: 'READ', permission: 'DENY', principal: 'User:x' })],
        'READ',
      ),
    ).toBe(true);
  });
  it('a prefixed DENY cancels a literal ALLOW', () => {
    const acls = [
      acl({ operation: 'READ' }),
      acl({ operation: 'READ', permission: 'DENY', patternType: 'PREFIXED', resourceName: 'cdc.' }),
    ];
    expect(can(acls, 'READ')).toBe(false);
  });
  it('a wildcard DENY cancels a prefixed ALLOW', () => {
    const acls = [
      acl({ operation: 'READ', patternType: 'PREFIXED', resourceName: 'cdc.tr' }),
      acl({ operation: 'READ', permission: 'DENY', resourceName: '*' }),
    ];
    expect(can(acls, 'READ')).toBe(false);
  });
  it('a DENY on a different topic does not cancel', () => {
    const acls = [
      acl({ operation: 'READ', patternType: 'PREFIXED', resourceName: 'cdc.' }),
      acl({ operation: 'READ', permission: 'DENY', resourceName: 'cdc.orders.mnpi' }),
    ];
    expect(can(acls, 'READ')).toBe(true);
  });
  it('reports the DENY and the ALLOW it cancels', () => {
    const allow = acl({ operation: 'READ' });
    const deny = acl({ operation: 'READ', permission: 'DENY' });
    const d = effectiveAccess([allow, deny], {
      principal: 'User:sink-public',
      resource: { type: 'TOPIC', name: T },
      operation: 'READ',
    });
    expect(d.deniedBy).toEqual([deny]);
    expect(d.allowedBy).toEqual([allow]);
  });
});

describe('effectiveAccess: hosts', () => {
  it('a host-specific ALLOW still counts as access (from that host)', () => {
    const d = effectiveAccess([acl({ operation: 'READ', host: '10.0.0.5' })], {
      principal: 'User:sink-public',
      resource: { type: 'TOPIC', name: T },
      operation: 'READ',
    });
    expect(d.allowed).toBe(true);
    expect(d.host).toBe('10.0.0.5');
  });
  it('a host-specific DENY does not cancel a grant that works from other hosts', () => {
    const acls = [
      acl({ operation: 'READ' }),
      acl({ operation: 'READ', permission: 'DENY', host: '10.0.0.5' }),
    ];
    const d = effectiveAccess(acls, {
      principal: 'User:sink-public',
      resource: { type: 'TOPIC', name: T },
      operation: 'READ',
    });
    expect(d.allowed).toBe(true);
    expect(d.host).toBe(OTHER_HOST);
    expect(can(acls, 'READ', 'User:sink-public', T, '10.0.0.5')).toBe(false);
  });
  it('a host-specific DENY on the same host cancels a host-specific ALLOW', () => {
    const acls = [
      acl({ operation: 'READ', host: '10.0.0.5' }),
      acl({ operation: 'READ', permission: 'DENY', host: '10.0.0.5' }),
    ];
    expect(can(acls, 'READ')).toBe(false);
  });
  it('a wildcard-host DENY cancels host-specific ALLOWs', () => {
    const acls = [
      acl({ operation: 'READ', host: '10.0.0.5' }),
      acl({ operation: 'READ', permission: 'DENY' }),
    ];
    expect(can(acls, 'READ')).toBe(false);
  });
  it('with an explicit host, an ALLOW for another host does not apply', () => {
    expect(
      can([acl({ operation: 'READ', host: '10.0.0.5' })], 'READ', 'User:sink-public', T, '10.0.0.6'),
    ).toBe(false);
  });
});

describe('effectiveAccess: allow.everyone.if.no.acl.found', () => {
  it('grants when no ACL at all matches the resource', () => {
    const d = effectiveAccess([], {
      principal: 'User:x',
      resource: { type: 'TOPIC', name: T },
      operation: 'READ',
      allowEveryoneIfNoAclFound: true,
    });
    expect(d.allowed).toBe(true);
    expect(d.noAclFound).toBe(true);
  });
  it('does not grant once any ACL (even for someone else) matches the resource', () => {
    const d = effectiveAccess([acl({ operation: 'READ', principal: 'User:sink-mnpi' })], {
      principal: 'User:x',
      resource: { type: 'TOPIC', name: T },
      operation: 'READ',
      allowEveryoneIfNoAclFound: true,
    });
    expect(d.allowed).toBe(false);
  });
});

describe('aclCoversOperation', () => {
  it('DENY applies only to its own operation or ALL', () => {
    expect(aclCoversOperation(acl({ operation: 'WRITE', permission: 'DENY' }), 'DESCRIBE')).toBe(false);
    expect(aclCoversOperation(acl({ operation: 'ALL', permission: 'DENY' }), 'DESCRIBE')).toBe(true);
  });
});

describe('effectiveAccess: every resource type', () => {
  const q = (type: AclBinding['resourceType'], name: string, operation: AclOperation, acls: AclBinding[]) =>
    effectiveAccess(acls, { principal: 'User:sink-public', resource: { type, name }, operation }).allowed;
  it('ALL on CLUSTER grants ALTER (CreateAcls) and ALTER_CONFIGS', () => {
    const all = acl({ operation: 'ALL', resourceType: 'CLUSTER', resourceName: 'kafka-cluster' });
    expect(q('CLUSTER', 'kafka-cluster', 'ALTER', [all])).toBe(true);
    expect(q('CLUSTER', 'kafka-cluster', 'ALTER_CONFIGS', [all])).toBe(true);
  });
  it('a TOPIC ACL never matches a CLUSTER question of the same name', () => {
    expect(
      q('CLUSTER', 'kafka-cluster', 'ALTER', [acl({ operation: 'ALTER', resourceName: 'kafka-cluster' })]),
    ).toBe(false);
  });
  it('CREATE_TOKENS on USER, literal and wildcard', () => {
    const lit = acl({ operation: 'CREATE_TOKENS', resourceType: 'USER', resourceName: 'User:debezium' });
    const star = acl({ operation: 'CREATE_TOKENS', resourceType: 'USER', resourceName: '*' });
    expect(q('USER', 'User:debezium', 'CREATE_TOKENS', [lit])).toBe(true);
    expect(q('USER', 'User:monitor', 'CREATE_TOKENS', [lit])).toBe(false);
    expect(q('USER', 'User:monitor', 'CREATE_TOKENS', [star])).toBe(true);
  });
  it('READ on a GROUP prefix covers the groups under it', () => {
    const pre = acl({
      operation: 'READ',
      resourceType: 'GROUP',
      resourceName: 'connect-lakewall-',
      patternType: 'PREFIXED',
    });
    expect(q('GROUP', 'connect-lakewall-sink-mnpi', 'READ', [pre])).toBe(true);
    expect(q('GROUP', 'other', 'READ', [pre])).toBe(false);
  });
});
