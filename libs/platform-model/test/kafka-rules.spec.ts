import { PlatformModelError, parsePlatformModel } from '../src';
import { checkTopicConfigValue, topicConfigDefs } from '../src/kafka-topic-configs';
import { modelText } from './fixtures';

/** The located problems of an edited model, as "line path: message". */
function problems(edit: (t: string) => string): string[] {
  const text = edit(modelText());
  try {
    parsePlatformModel(text, 'platform.yaml');
  } catch (e) {
    if (!(e instanceof PlatformModelError)) throw e;
    return e.issues.map((i) => `${i.line} ${i.path.join('.')}: ${i.message}`);
  }
  throw new Error('expected the model to be rejected');
}
const lineOf = (edit: (t: string) => string, needle: string) =>
  edit(modelText())
    .split('\n')
    .findIndex((l) => l.includes(needle)) + 1;

describe('the model refuses what Kafka would refuse, located to its line', () => {
  it('a topic naming template with characters Kafka does not allow', () => {
    const edit = (t: string) =>
      t.replace('topicNaming: "cdc.{table}.{zone}"', 'topicNaming: "cdc.{table}/{zone}"');
    expect(problems(edit)).toEqual([
      `${lineOf(edit, 'topicNaming:')} kafka.topicNaming: contains characters Kafka does not allow in topic names: "/" (allowed: letters, digits, '.', '_', '-')`,
    ]);
  });
  it('a template without {zone} (every zone would share one topic)', () => {
    expect(
      problems((t) => t.replace('topicNaming: "cdc.{table}.{zone}"', 'topicNaming: "cdc.{table}"'))[0],
    ).toMatch(/kafka\.topicNaming: .*must contain \{table\} and \{zone\}/);
  });
  it('a table whose topic name would be too long', () => {
    const long = 'x'.repeat(250);
    const edit = (t: string) =>
      t.replace(
        '  orders:\n',
        `  ${long}:\n    classification: public\n    description: x\n    primaryKey: [id]\n    columns:\n      - { name: id, type: bigint }\n  orders:\n`,
      );
    expect(problems(edit).join('\n')).toMatch(
      new RegExp(`tables\\.${long}: its mnpi topic .* is not a legal Kafka topic name`),
    );
  });
  it('a topic config key typo, with the nearest real key', () => {
    const edit = (t: string) => t.replace('retention.ms:', 'retenion.ms:');
    expect(problems(edit)).toEqual([
      `${lineOf(edit, 'retenion.ms')} kafka.topicClasses.cdc.configs.retenion.ms: is not a Kafka 4.1.1 topic config (did you mean "retention.ms"?)`,
    ]);
  });
  it('a bad topic config value, named with its key and line', () => {
    const edit = (t: string) => t.replace('compression.type: zstd', 'compression.type: zstdd');
    expect(problems(edit)).toEqual([
      `${lineOf(edit, 'zstdd')} kafka.topicClasses.cdc.configs.compression.type: value "zstdd" is not one of uncompressed, zstd, lz4, snappy, gzip, producer`,
    ]);
  });
  it('a too-broad managed prefix', () => {
    const edit = (t: string) =>
      t
        .replace('managedTopicPrefix: cdc.', 'managedTopicPrefix: c')
        .replace('"cdc.{table}.{zone}"', '"c{table}.{zone}"');
    expect(problems(edit)[0]).toMatch(/^\d+ kafka\.managedTopicPrefix: "c" is too broad/);
  });
  it('a prefix without a separator at its end', () => {
    expect(
      problems((t) =>
        t
          .replace('managedTopicPrefix: cdc.', 'managedTopicPrefix: cdcx')
          .replace('"cdc.{table}.{zone}"', '"cdcx{table}.{zone}"'),
      )[0],
    ).toMatch(/managedTopicPrefix: "cdcx" is too broad/);
  });
  it("a principal named like one of the brokers' super users", () => {
    const edit = (t: string) => t.replace('  outsider:\n', '  admin:\n');
    expect(problems(edit)).toEqual([
      `${lineOf(edit, '  admin:')} principals.admin: "admin" is one of the brokers' super users (kafka.superUsers), which no ACL restricts; choose another name`,
    ]);
  });
  it('a public-cleared Connect worker that runs connectors touching MNPI', () => {
    const edit = (t: string) =>
      t.replace(
        /(connect-worker:\n {4}kind: service\n(?: {4}#.*\n)*) {4}clearance: mnpi/,
        '$1    clearance: public',
      );
    const p = problems(edit);
    expect(p).toHaveLength(2);
    expect(p[0]).toMatch(
      /principals\.connect-worker\.clearance: the Connect worker "connect-worker" runs connector "debezium", which touches the mnpi zone/,
    );
  });
  it('an unknown key anywhere suggests the nearest known one', () => {
    expect(problems((t) => t.replace('costCentre:', 'costCenter:')).join('\n')).toContain(
      'costCenter: unknown key "costCenter" (did you mean "costCentre"?)',
    );
    expect(problems((t) => t.replace('    partitions: 6', '    partitons: 6')).join('\n')).toContain(
      'kafka.topicClasses.cdc.partitons: unknown key "partitons" (did you mean "partitions"?)',
    );
  });
  it('caps the printed problems at 50 and says how many more', () => {
    const junk = Array.from({ length: 60 }, (_, i) => `junk${i}: 1`).join('\n');
    try {
      parsePlatformModel(`${modelText()}\n${junk}\n`, 'm.yaml');
      throw new Error('expected a rejection');
    } catch (e) {
      const lines = (e as Error).message.split('\n');
      expect(lines.filter((l) => l.startsWith('  m.yaml:'))).toHaveLength(50);
      expect(lines.at(-1)).toBe('  ... and 10 more problems');
      expect((e as PlatformModelError).issues).toHaveLength(60);
    }
  });
});

describe('topic config values against the kept definitions', () => {
  const defs = topicConfigDefs('4.1.1') ?? [];
  const def = (name: string) => defs.find((d) => d.name === name)!;
  it.each([
    ['cleanup.policy', 'compact,delete', undefined],
    ['cleanup.policy', 'compact,remove', 'has "remove", which is not one of compact, delete'],
    ['retention.ms', '-1', undefined],
    ['retention.ms', '-2', 'must be in [-1,...]'],
    ['retention.ms', '7d', 'must be an integer (long)'],
    ['min.cleanable.dirty.ratio', '0.5', undefined],
    ['min.cleanable.dirty.ratio', '1.5', 'must be in [0,...,1]'],
    ['compression.gzip.level', '-1', undefined],
    ['compression.gzip.level', '10', 'must be in [1,...,9] or -1'],
    ['unclean.leader.election.enable', 'yes', 'must be true or false'],
    ['max.message.bytes', '99999999999', 'is out of range for a int'],
  ])('%s=%s', (name, value, expected) => {
    expect(checkTopicConfigValue(def(name), value)).toBe(expected);
  });
});
