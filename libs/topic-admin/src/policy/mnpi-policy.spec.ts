import {
  deriveAcls,
  deriveTopics,
  loadPlatformModel,
  type AclBinding,
  type AclOperation,
} from '@lakewall/platform-model';
import { checkMnpiPolicy, mnpiTopicsOf, policyContextFor } from './mnpi-policy';
import { exampleName, nameMatches, prefixCanMatch, topicNamePattern } from './topic-pattern';

const model = loadPlatformModel();
const mnpiTopics = deriveTopics(model, 'local')
  .filter((t) => t.zone === 'mnpi')
  .map((t) => t.name);
const ctx = policyContextFor(model, mnpiTopics, 'local');

function acl(p: Partial<AclBinding> & { operation: AclOperation }): AclBinding {
  return {
    principal: 'User:sink-public',
    host: '*',
    resourceType: 'TOPIC',
    resourceName: 'cdc.trades.mnpi',
    patternType: 'LITERAL',
    permission: 'ALLOW',
    ...p,
  };
}

describe('topicNamePattern', () => {
  const p = topicNamePattern('cdc.{table}.{zone}', 'mnpi');
  it.each([
    ['', true],
    ['c', true],
    ['cdc.', true],
    ['cdc.t', true],
    ['cdc.tr', true],
    ['cdc.trades', true],
    ['cdc.trades.', true],
    ['cdc.trades.mn', true],
    ['cdc.trades.mnpi', true],
    ['cdc.trades.mnpi.', false],
    ['cdc.trades.p', false],
    ['cdc.1', false],
    ['cdc._', false],
    ['cdx', false],
    ['cdc.Trades', false],
    ['cdc.trades.public', false],
  ])('prefix %j can start an MNPI topic name: %s', (prefix, expected) => {
    expect(prefixCanMatch(p, prefix)).toBe(expected);
  });
  it('matches whole names', () => {
    expect(nameMatches(p, 'cdc.trades.mnpi')).toBe(true);
    expect(nameMatches(p, 'cdc.new_table2.mnpi')).toBe(true);
    expect(nameMatches(p, 'cdc.trades.mnp')).toBe(false);
    expect(nameMatches(p, 'cdc.market_data.public')).toBe(false);
  });
  it('builds examples for messages', () => {
    expect(exampleName(p, 'cdc.tr')).toBe('cdc.tr.mnpi');
    expect(exampleName(p, 'cdc.')).toBe('cdc.x.mnpi');
    expect(exampleName(p, '')).toBe('cdc.x.mnpi');
    expect(exampleName(p, 'cdc.trades.m')).toBe('cdc.trades.mnpi');
    expect(exampleName(p, 'zzz')).toBeUndefined();
  });
  it('handles a zone placed before the table', () => {
    const q = topicNamePattern('lake-{zone}-{table}', 'mnpi');
    expect(prefixCanMatch(q, 'lake-mnpi-')).toBe(true);
    expect(prefixCanMatch(q, 'lake-pub')).toBe(false);
    expect(nameMatches(q, 'lake-mnpi-orders')).toBe(true);
  });
});

describe('checkMnpiPolicy on the real model', () => {
  it('the model itself is clean in every environment', () => {
    for (const env of ['local', 'dev', 'staging', 'prod'] as const) {
      const topics = deriveTopics(model, env)
        .filter((t) => t.zone === 'mnpi')
        .map((t) => t.name);
      expect(checkMnpiPolicy(deriveAcls(model, env), policyContextFor(model, topics))).toEqual([]);
    }
  });
  it("would catch Cruise Control's cluster-analysis grants on a principal not cleared for MNPI", () => {
    const analysis = deriveAcls(model, 'prod')
      .filter((a) => a.principal === 'User:cruise-control')
      .map((a) => ({ ...a, principal: 'User:sink-public' }));
    expect(analysis.map((a) => a.operation).sort()).toEqual([
      'DESCRIBE',
      'DESCRIBE',
      'DESCRIBE_CONFIGS',
      'DESCRIBE_CONFIGS',
    ]);
    const kinds = new Set(checkMnpiPolicy(analysis, ctx).map((v) => v.kind));
    expect(kinds).toEqual(new Set(['read', 'prefix-capture']));
  });
  it('has MNPI topics to protect', () => {
    expect(mnpiTopics).toEqual(
      expect.arrayContaining(['cdc.trades.mnpi', 'cdc.orders.mnpi', 'cdc.positions.mnpi']),
    );
  });
});

describe('checkMnpiPolicy: effective access', () => {
  const base = deriveAcls(model, 'local');
  const check = (...extra: AclBinding[]) => checkMnpiPolicy([...base, ...extra], ctx);

  it('catches a prefixed READ for a public principal and names principal, topic and ACL', () => {
    const v = check(acl({ operation: 'READ', patternType: 'PREFIXED', resourceName: 'cdc.tr' }));
    const access = v.find((x) => x.kind === 'read');
    expect(access).toBeDefined();
    expect(access?.principal).toBe('User:sink-public');
    expect(access?.resource).toEqual({ type: 'TOPIC', name: 'cdc.trades.mnpi' });
    expect(access?.operations).toEqual(['READ', 'DESCRIBE']);
    expect(access?.message).toContain('User:sink-public');
    expect(access?.message).toContain('cdc.trades.mnpi');
    expect(access?.message).toContain('PREFIXED "cdc.tr"');
    // and as a prefix capture of future tables like cdc.tr*.mnpi
    expect(v.some((x) => x.kind === 'prefix-capture' && x.principal === 'User:sink-public')).toBe(true);
  });
  it('catches a literal WRITE for a public principal as integrity (and its implied DESCRIBE as read)', () => {
    const v = check(acl({ operation: 'WRITE', resourceName: 'cdc.orders.mnpi', principal: 'User:outsider' }));
    expect(v.map((x) => [x.kind, x.operations])).toEqual([
      ['read', ['DESCRIBE']],
      ['integrity', ['WRITE']],
    ]);
    expect(v[0].message).toContain('clearance: public');
  });
  it('catches User:* on a literal MNPI topic', () => {
    const v = check(acl({ operation: 'DESCRIBE', principal: 'User:*', resourceName: 'cdc.positions.mnpi' }));
    expect(v.map((x) => x.principal)).toContain('User:*');
    expect(v.find((x) => x.principal === 'User:*')?.message).toContain('every principal');
  });
  it('catches an unknown principal', () => {
    const v = check(acl({ operation: 'READ', principal: 'User:mallory' }));
    expect(v).toHaveLength(1);
    expect(v[0].kind).toBe('read');
    expect(v[0].clearance).toBe('unknown');
  });
  it("treats the MNPI sink's Iceberg control topic (column bounds) as MNPI", () => {
    const v = check(acl({ operation: 'READ', resourceName: 'cdc._iceberg_control.mnpi' }));
    expect(v.map((x) => [x.kind, x.principal, x.resource.name])).toEqual([
      ['read', 'User:sink-public', 'cdc._iceberg_control.mnpi'],
    ]);
  });

  it('catches a wildcard resource grant (current and future topics)', () => {
    const v = check(acl({ operation: 'READ', resourceName: '*' }));
    expect(v.filter((x) => x.kind === 'read').map((x) => x.resource.name)).toEqual([
      'cdc._iceberg_control.mnpi',
      'cdc.orders.mnpi',
      'cdc.positions.mnpi',
      'cdc.trades.mnpi',
    ]);
    expect(v.some((x) => x.kind === 'prefix-capture')).toBe(true);
  });
  it('catches ALL as read and integrity', () => {
    const v = check(acl({ operation: 'ALL' }));
    expect(v.map((x) => [x.kind, x.operations])).toEqual([
      ['read', ['READ', 'DESCRIBE']],
      ['integrity', ['WRITE', 'DELETE', 'ALTER', 'ALTER_CONFIGS']],
    ]);
  });
  it('catches DELETE (integrity) and the DESCRIBE it implies (read)', () => {
    const v = check(acl({ operation: 'DELETE' }));
    expect(v.map((x) => [x.kind, x.operations])).toEqual([
      ['read', ['DESCRIBE']],
      ['integrity', ['DELETE']],
    ]);
  });
  it('catches ALTER_CONFIGS on an MNPI topic as integrity', () => {
    const v = check(acl({ operation: 'ALTER_CONFIGS' }));
    expect(v.map((x) => x.kind)).toEqual(['integrity']);
  });
  it('ignores operations outside the sensitive set (DESCRIBE_CONFIGS)', () => {
    expect(check(acl({ operation: 'DESCRIBE_CONFIGS' }))).toEqual([]);
  });
  it('a matching DENY cancels the leak', () => {
    expect(check(acl({ operation: 'READ' }), acl({ operation: 'ALL', permission: 'DENY' }))).toEqual([]);
    expect(
      check(
        acl({ operation: 'READ' }),
        acl({ operation: 'READ', permission: 'DENY' }),
        acl({ operation: 'DESCRIBE', permission: 'DENY' }),
      ),
    ).toEqual([]);
  });
  it('a DENY READ still leaves the DESCRIBE that ALLOW READ implies', () => {
    const v = check(acl({ operation: 'READ' }), acl({ operation: 'READ', permission: 'DENY' }));
    expect(v).toHaveLength(1);
    expect(v[0].operations).toEqual(['DESCRIBE']);
  });
  it('grants to MNPI-cleared principals are fine', () => {
    expect(
      check(
        acl({ operation: 'ALL', principal: 'User:sink-mnpi', patternType: 'PREFIXED', resourceName: 'cdc.' }),
      ),
    ).toEqual([]);
  });
  it('grants on public topics are fine', () => {
    expect(check(acl({ operation: 'ALL', resourceName: 'cdc.market_data.public' }))).toEqual([]);
  });
  it('DENY rules never grant', () => {
    expect(
      check(acl({ operation: 'ALL', permission: 'DENY', resourceName: '*', principal: 'User:*' })),
    ).toEqual([]);
  });
  it('host-specific grants still count', () => {
    const v = check(acl({ operation: 'READ', host: '10.1.2.3' }));
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain('host 10.1.2.3');
  });
  it('a User:* grant is reported for every public principal too', () => {
    const v = check(acl({ operation: 'READ', principal: 'User:*' }));
    const principals = v.map((x) => x.principal);
    expect(principals).toEqual(expect.arrayContaining(['User:*', 'User:sink-public', 'User:outsider']));
    expect(principals).not.toEqual(expect.arrayContaining(['User:sink-mnpi']));
  });
  it('a per-principal DENY protects only that principal against User:*', () => {
    const v = check(
      acl({ operation: 'READ', principal: 'User:*' }),
      acl({ operation: 'ALL', permission: 'DENY', principal: 'User:sink-public' }),
    );
    const principals = v.map((x) => x.principal);
    expect(principals).not.toContain('User:sink-public');
    expect(principals).toContain('User:*');
  });
  it('honours allow.everyone.if.no.acl.found', () => {
    const v = checkMnpiPolicy([], { ...ctx, allowEveryoneIfNoAclFound: true });
    expect(v.length).toBeGreaterThan(0);
    expect(v[0].message).toContain('allow.everyone.if.no.acl.found');
  });
});

describe('checkMnpiPolicy: prefix capture', () => {
  const check = (...extra: AclBinding[]) => checkMnpiPolicy(extra, { ...ctx, mnpiTopics: [] });

  it('flags a prefix that covers future MNPI names even when no current topic matches', () => {
    const v = check(acl({ operation: 'READ', patternType: 'PREFIXED', resourceName: 'cdc.new' }));
    expect(v).toHaveLength(1);
    expect(v[0].kind).toBe('prefix-capture');
    expect(v[0].resource.name).toBe('cdc.new.mnpi');
    expect(v[0].message).toContain('future MNPI topic');
  });
  it('flags the whole managed prefix and shorter ones', () => {
    expect(check(acl({ operation: 'READ', patternType: 'PREFIXED', resourceName: 'cdc.' }))).toHaveLength(1);
    expect(check(acl({ operation: 'READ', patternType: 'PREFIXED', resourceName: 'c' }))).toHaveLength(1);
  });
  it('does not flag a prefix that can only match public names', () => {
    expect(
      check(acl({ operation: 'READ', patternType: 'PREFIXED', resourceName: 'cdc.market_data.p' })),
    ).toEqual([]);
    expect(
      check(acl({ operation: 'READ', patternType: 'PREFIXED', resourceName: '_lakewall.connect.' })),
    ).toEqual([]);
  });
  it('does not flag a prefix outside the naming scheme', () => {
    expect(check(acl({ operation: 'READ', patternType: 'PREFIXED', resourceName: 'other.' }))).toEqual([]);
  });
  it('does not flag a non-sensitive operation', () => {
    expect(check(acl({ operation: 'CREATE', patternType: 'PREFIXED', resourceName: 'cdc.' }))).toEqual([]);
  });
  it('a DENY over a wider prefix cancels the capture', () => {
    expect(
      check(
        acl({ operation: 'READ', patternType: 'PREFIXED', resourceName: 'cdc.tr' }),
        acl({ operation: 'ALL', permission: 'DENY', patternType: 'PREFIXED', resourceName: 'cdc.' }),
      ),
    ).toEqual([]);
  });
  it('a DENY over a narrower prefix does not cancel it', () => {
    const v = check(
      acl({ operation: 'READ', patternType: 'PREFIXED', resourceName: 'cdc.' }),
      acl({ operation: 'ALL', permission: 'DENY', patternType: 'PREFIXED', resourceName: 'cdc.tr' }),
    );
    expect(v).toHaveLength(1);
  });
  it('a DENY of only READ leaves the implied DESCRIBE', () => {
    const v = check(
      acl({ operation: 'READ', patternType: 'PREFIXED', resourceName: 'cdc.' }),
      acl({ operation: 'READ', permission: 'DENY', patternType: 'PREFIXED', resourceName: 'cdc.' }),
    );
    expect(v).toHaveLength(1);
    expect(v[0].operations).toEqual(['DESCRIBE']);
  });
  it('the bootstrapper (MNPI-cleared) may hold the managed prefix', () => {
    expect(
      check(
        acl({
          operation: 'ALL',
          principal: 'User:bootstrapper',
          patternType: 'PREFIXED',
          resourceName: 'cdc.',
        }),
      ),
    ).toEqual([]);
  });
});

describe('checkMnpiPolicy: escalation', () => {
  const base = deriveAcls(model, 'local');
  const check = (...extra: AclBinding[]) => checkMnpiPolicy([...base, ...extra], ctx);
  const cluster = (p: Partial<AclBinding> & { operation: AclOperation }) =>
    acl({ resourceType: 'CLUSTER', resourceName: 'kafka-cluster', ...p });

  it.each(['ALTER', 'ALL', 'ALTER_CONFIGS'] as const)(
    '%s on CLUSTER lets a public principal grant itself access',
    (operation) => {
      const v = check(cluster({ operation }));
      expect(v).toHaveLength(1);
      expect(v[0]).toMatchObject({
        kind: 'escalation',
        principal: 'User:sink-public',
        resource: { type: 'CLUSTER' },
      });
      expect(v[0].grantedBy).toEqual([cluster({ operation })]);
    },
  );
  it('ALTER on CLUSTER for a principal the model does not know, and for User:*', () => {
    expect(check(cluster({ operation: 'ALTER', principal: 'User:stranger' }))[0]).toMatchObject({
      kind: 'escalation',
      clearance: 'unknown',
    });
    expect(check(cluster({ operation: 'ALTER', principal: 'User:*' })).map((v) => v.principal)).toEqual(
      expect.arrayContaining(['User:*', 'User:sink-public', 'User:outsider']),
    );
  });
  it('DESCRIBE on CLUSTER is not escalation', () => {
    expect(check(cluster({ operation: 'DESCRIBE' }))).toEqual([]);
  });
  it('the bootstrapper (cleared) may ALTER the cluster', () => {
    expect(check(cluster({ operation: 'ALTER', principal: 'User:bootstrapper' }))).toEqual([]);
  });
  it('CREATE_TOKENS on a cleared user (or any user) is impersonation', () => {
    const token = acl({ operation: 'CREATE_TOKENS', resourceType: 'USER', resourceName: 'User:sink-mnpi' });
    const v = check(token);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ kind: 'escalation', resource: { type: 'USER', name: 'User:sink-mnpi' } });
    const star = check(acl({ operation: 'CREATE_TOKENS', resourceType: 'USER', resourceName: '*' }));
    expect(star.map((x) => x.resource.name)).toEqual(
      expect.arrayContaining(['User:admin', 'User:debezium', 'User:sink-mnpi']),
    );
  });
  it('CREATE_TOKENS on a public user is not impersonation of a cleared one', () => {
    expect(
      check(acl({ operation: 'CREATE_TOKENS', resourceType: 'USER', resourceName: 'User:outsider' })),
    ).toEqual([]);
  });
  it("READ on an MNPI sink's or the monitor's group lets it commit their offsets (integrity)", () => {
    for (const group of ['connect-lakewall-sink-mnpi', 'lakewall-monitor']) {
      const v = check(acl({ operation: 'READ', resourceType: 'GROUP', resourceName: group }));
      expect(v).toHaveLength(1);
      expect(v[0]).toMatchObject({ kind: 'integrity', resource: { type: 'GROUP', name: group } });
    }
  });
  it("a wildcard GROUP READ reaches every cleared consumer's group", () => {
    const v = check(acl({ operation: 'READ', resourceType: 'GROUP', resourceName: '*' }));
    expect(v.map((x) => x.resource.name)).toEqual(
      expect.arrayContaining(['connect-lakewall-sink-mnpi', 'lakewall-monitor']),
    );
  });
  it("READ on the public sink's own group is fine", () => {
    expect(
      check(acl({ operation: 'READ', resourceType: 'GROUP', resourceName: 'connect-lakewall-sink-public' })),
    ).toEqual([]);
  });
  it('DESCRIBE on every group (the model gives it to cleared readers) is not integrity', () => {
    expect(check(acl({ operation: 'DESCRIBE', resourceType: 'GROUP', resourceName: '*' }))).toEqual([]);
  });
});

describe('mnpiTopicsOf', () => {
  it('adds live MNPI-shaped topics the model no longer declares (fail closed)', () => {
    const p = topicNamePattern(model.kafka.topicNaming, 'mnpi');
    expect(
      mnpiTopicsOf(['cdc.trades.mnpi'], ['cdc.old_table.mnpi', 'cdc.market_data.public', 'other'], p),
    ).toEqual(['cdc.old_table.mnpi', 'cdc.trades.mnpi']);
  });
});
