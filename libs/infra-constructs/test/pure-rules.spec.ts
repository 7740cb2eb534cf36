import { StorageClass } from 'aws-cdk-lib/aws-s3';
import { availabilityZonesFor } from '../src/network/availability-zones';
import { lakeLifecycleRules, LAKE_TRANSITIONS } from '../src/lake/lifecycle';
import { partitionProjectionParameters } from '../src/catalog/partition-projection';
import { maxSlotWalKeepSizeMb, supportsPerformanceInsights } from '../src/database/postgres-sizing';

describe('availabilityZonesFor', () => {
  it('names zones a, b, c from the region', () => {
    expect(availabilityZonesFor('us-east-1', 3)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(availabilityZonesFor('eu-west-2', 2)).toEqual(['eu-west-2a', 'eu-west-2b']);
  });
  it('rejects impossible counts', () => {
    expect(() => availabilityZonesFor('us-east-1', 0)).toThrow(/count must be/);
  });
});

describe('lakeLifecycleRules', () => {
  const transitionDays = (retention: number) =>
    lakeLifecycleRules(retention)[0]!.transitions!.map((t) => t.transitionAfter!.toDays());

  it('expires current objects at the retention period', () => {
    expect(lakeLifecycleRules(2555)[0]!.expiration!.toDays()).toBe(2555);
    expect(lakeLifecycleRules(30)[0]!.expiration!.toDays()).toBe(30);
  });
  it('keeps only transitions strictly before expiry', () => {
    expect(transitionDays(30)).toEqual([]);
    expect(transitionDays(31)).toEqual([30]);
    expect(transitionDays(90)).toEqual([30]);
    expect(transitionDays(2555)).toEqual(LAKE_TRANSITIONS.map((t) => t.afterDays));
  });
  it('moves to cheaper classes in order', () => {
    const classes = lakeLifecycleRules(2555)[0]!.transitions!.map((t) => t.storageClass);
    expect(classes).toEqual([
      StorageClass.INFREQUENT_ACCESS,
      StorageClass.GLACIER_INSTANT_RETRIEVAL,
      StorageClass.GLACIER,
      StorageClass.DEEP_ARCHIVE,
    ]);
  });
  it('never keeps noncurrent versions longer than the retention', () => {
    expect(lakeLifecycleRules(7)[0]!.noncurrentVersionExpiration!.toDays()).toBe(7);
  });
  it('rejects a non-positive retention', () => {
    expect(() => lakeLifecycleRules(0)).toThrow(/positive integer/);
  });
});

describe('partitionProjectionParameters', () => {
  const keys = [
    {
      name: 'dt',
      type: 'string',
      projection: { type: 'date', format: 'yyyy-MM-dd', interval: '1', unit: 'DAYS' },
    },
    { name: 'hr', type: 'string', projection: { type: 'integer', range: '0,23', digits: '2' } },
  ] as const;

  it('projects dt over the retention window and hr over 00-23', () => {
    const p = partitionProjectionParameters(keys, 's3://b/cdc.trades.mnpi/', 90);
    expect(p).toMatchObject({
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.interval.unit': 'DAYS',
      'projection.dt.range': 'NOW-90DAYS,NOW',
      'projection.hr.type': 'integer',
      'projection.hr.range': '0,23',
      'projection.hr.digits': '2',
    });
  });
  it('builds the location template in key order under the prefix', () => {
    const p = partitionProjectionParameters(keys, 's3://b/cdc.trades.mnpi/', 90);
    expect(p['storage.location.template']).toBe('s3://b/cdc.trades.mnpi/dt=${dt}/hr=${hr}/');
  });
  it('needs at least one key', () => {
    expect(() => partitionProjectionParameters([], 's3://b/', 1)).toThrow(/at least one/);
  });
});

describe('postgres sizing', () => {
  it('bounds slot WAL to a share of storage, in MB', () => {
    expect(maxSlotWalKeepSizeMb(50)).toBe(5120);
    expect(maxSlotWalKeepSizeMb(1000, 0.2)).toBe(204800);
  });
  it('refuses a share that could fill most of the disk', () => {
    expect(() => maxSlotWalKeepSizeMb(50, 0.9)).toThrow(/share must be/);
    expect(() => maxSlotWalKeepSizeMb(50, 0)).toThrow(/share must be/);
  });
  it('knows which classes support Performance Insights', () => {
    expect(supportsPerformanceInsights('t4g.medium')).toBe(true);
    expect(supportsPerformanceInsights('r6g.xlarge')).toBe(true);
    expect(supportsPerformanceInsights('t4g.micro')).toBe(false);
    expect(supportsPerformanceInsights('t3.small')).toBe(false);
  });
});
