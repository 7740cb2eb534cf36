import { StorageClass } from 'aws-cdk-lib/aws-s3';
import { availabilityZonesFor } from '../src/network/availability-zones';
import { lakeLifecycleRules, LAKE_TRANSITIONS, UNQUERYABLE_STORAGE_CLASSES } from '../src/lake/lifecycle';
import { fieldIdOf, glueField } from '../src/catalog/iceberg-table';
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
  it('moves to cheaper classes in order, only ones Athena reads without a restore', () => {
    const classes = lakeLifecycleRules(2555)[0]!.transitions!.map((t) => t.storageClass);
    expect(classes).toEqual([StorageClass.INFREQUENT_ACCESS, StorageClass.GLACIER_INSTANT_RETRIEVAL]);
    for (const retention of [31, 90, 91, 365, 2555, 10_000])
      for (const t of lakeLifecycleRules(retention)[0]!.transitions!)
        expect(UNQUERYABLE_STORAGE_CLASSES).not.toContain(t.storageClass);
    expect(UNQUERYABLE_STORAGE_CLASSES).toEqual([StorageClass.GLACIER, StorageClass.DEEP_ARCHIVE]);
  });
  it('never expires current objects of Iceberg tables, and clears the delete markers maintenance leaves', () => {
    const [rule] = lakeLifecycleRules(2555, { expireCurrentObjects: false });
    expect(rule!.expiration).toBeUndefined();
    expect(rule!.expiredObjectDeleteMarker).toBe(true);
    expect(rule!.noncurrentVersionExpiration!.toDays()).toBe(30);
    expect(rule!.transitions!.map((t) => t.storageClass)).toEqual([
      StorageClass.INFREQUENT_ACCESS,
      StorageClass.GLACIER_INSTANT_RETRIEVAL,
    ]);
  });
  it('never keeps noncurrent versions longer than the retention', () => {
    expect(lakeLifecycleRules(7)[0]!.noncurrentVersionExpiration!.toDays()).toBe(7);
  });
  it('rejects a non-positive retention', () => {
    expect(() => lakeLifecycleRules(0)).toThrow(/positive integer/);
  });
});

describe('Iceberg table rendering for CloudFormation', () => {
  const table = {
    zone: 'secret',
    namespace: 'db_raw',
    name: 't',
    schema: {
      fields: [
        { id: 1, name: 'id', required: false, type: 'long' },
        {
          id: 2,
          name: '_cdc',
          required: false,
          type: {
            type: 'struct' as const,
            fields: [{ id: 3, name: 'ts', required: false, type: 'timestamptz' }],
          },
        },
      ],
    },
    partitionBy: [],
  };
  it('passes primitive types as they are and encodes a struct as its Iceberg JSON', () => {
    expect(glueField(table.schema.fields[0]!)).toEqual({ id: 1, name: 'id', required: false, type: 'long' });
    const cdc = glueField(table.schema.fields[1]!);
    expect(JSON.parse(cdc.type)).toEqual(table.schema.fields[1]!.type);
  });
  it('finds a nested partition source by its dotted name, and refuses a struct or an unknown column', () => {
    expect(fieldIdOf(table, '_cdc.ts', 'p')).toBe(3);
    expect(() => fieldIdOf(table, '_cdc', 'p')).toThrow(/not a primitive column of t/);
    expect(() => fieldIdOf(table, '_cdc.nope', 'p')).toThrow(/not a primitive column/);
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
