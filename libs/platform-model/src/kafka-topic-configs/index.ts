import { z } from 'zod';
import defs41 from './4.1.json';

/**
 * Kafka's topic config definitions, kept as data per Kafka line (generated from the broker's own
 * LogConfig; see the JSON's $comment), so the model refuses a key or value the broker would refuse,
 * located to its YAML line, before anything reaches a cluster.
 */
const ConfigDefFile = z.strictObject({
  $comment: z.string(),
  kafkaVersion: z.string(),
  configs: z.array(
    z.strictObject({
      name: z.string(),
      type: z.enum(['BOOLEAN', 'STRING', 'INT', 'SHORT', 'LONG', 'DOUBLE', 'LIST', 'CLASS', 'PASSWORD']),
      validator: z.string().nullable(),
    }),
  ),
});
export type TopicConfigDef = z.infer<typeof ConfigDefFile>['configs'][number];

const BY_LINE: Record<string, readonly TopicConfigDef[]> = {
  '4.1': ConfigDefFile.parse(defs41).configs,
};

/** The topic config definitions for a Kafka version's line, or undefined when none are kept. */
export function topicConfigDefs(kafkaVersion: string): readonly TopicConfigDef[] | undefined {
  return BY_LINE[kafkaVersion.split('.').slice(0, 2).join('.')];
}

export function knownTopicConfigLines(): string[] {
  return Object.keys(BY_LINE);
}

const INT_RANGE: Record<string, [number, number]> = {
  INT: [-(2 ** 31), 2 ** 31 - 1],
  SHORT: [-(2 ** 15), 2 ** 15 - 1],
  LONG: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** Checks a value against one definition; returns what is wrong, or undefined. */
export function checkTopicConfigValue(def: TopicConfigDef, value: string): string | undefined {
  const v = value.trim();
  let num: number | undefined;
  if (def.type in INT_RANGE) {
    if (!/^-?\d+$/.test(v)) return `must be an integer (${def.type.toLowerCase()})`;
    num = Number(v);
    const [lo, hi] = INT_RANGE[def.type];
    if (num < lo || num > hi) return `is out of range for a ${def.type.toLowerCase()}`;
  } else if (def.type === 'DOUBLE') {
    if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v)) return 'must be a number';
    num = Number(v);
  } else if (def.type === 'BOOLEAN') {
    if (!/^(true|false)$/i.test(v)) return 'must be true or false';
  }
  const validator = def.validator;
  if (!validator) return undefined;
  const enumMatch = /^\[([A-Za-z][^\]]*)\]$/.exec(validator);
  if (enumMatch) {
    const allowed = enumMatch[1].split(',').map((s) => s.trim());
    const values = def.type === 'LIST' ? v.split(',').map((s) => s.trim()) : [v];
    const bad = values.filter((x) => !allowed.some((a) => a.toLowerCase() === x.toLowerCase()));
    if (bad.length === 0) return undefined;
    const what = def.type === 'LIST' ? `has ${bad.map((b) => `"${b}"`).join(', ')}, which is` : 'is';
    return `${what} not one of ${allowed.join(', ')}`;
  }
  const range = /^\[(-?[\d.]+),\.\.\.(?:,(-?[\d.]+))?\](?: or (-?\d+))?$/.exec(validator);
  if (range && num !== undefined) {
    const [, lo, hi, alt] = range;
    if (alt !== undefined && num === Number(alt)) return undefined;
    if (num < Number(lo) || (hi !== undefined && num > Number(hi))) return `must be in ${validator}`;
  }
  return undefined;
}
