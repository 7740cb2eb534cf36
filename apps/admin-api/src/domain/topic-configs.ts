import { deriveTopics, type EnvName, type PlatformModel } from '@lakewall/platform-model';
import { ApiProblem } from './problem';

/**
 * Topic configs an operator may change through the API, with the broker's own types and bounds
 * (Kafka's TopicConfig definitions). Everything else is refused: partitions, replication and the
 * configs the model declares come only from the model; cleanup policy and compression would
 * change what consumers and the lake read.
 */
type Check = (v: string) => string | undefined;

const long =
  (min: number): Check =>
  (v) =>
    /^-?\d{1,19}$/.test(v) && BigInt(v) >= BigInt(min) ? undefined : `must be an integer >= ${min}`;
const int =
  (min: number, max = 2 ** 31 - 1): Check =>
  (v) =>
    /^-?\d{1,10}$/.test(v) && Number(v) >= min && Number(v) <= max
      ? undefined
      : `must be an integer from ${min} to ${max}`;
const bool: Check = (v) => (v === 'true' || v === 'false' ? undefined : 'must be true or false');

export const PATCHABLE_TOPIC_CONFIGS: Readonly<Record<string, Check>> = {
  'retention.ms': long(-1),
  'retention.bytes': long(-1),
  'segment.ms': long(1),
  'segment.bytes': int(1024 * 1024),
  'max.message.bytes': int(0),
  'delete.retention.ms': long(0),
  'min.compaction.lag.ms': long(0),
  'max.compaction.lag.ms': long(1),
  'message.timestamp.before.max.ms': long(0),
  'message.timestamp.after.max.ms': long(0),
  'unclean.leader.election.enable': (v) =>
    v === 'false' ? undefined : 'may only be false (an unclean election loses data)',
  preallocate: bool,
};

/** Checks a patch; throws a problem naming the config key (never the topic). */
export function validateTopicConfigPatch(
  model: PlatformModel,
  env: EnvName,
  topic: string,
  set: Readonly<Record<string, string>>,
): void {
  const declared = deriveTopics(model, env).find((t) => t.name === topic)?.configs ?? {};
  const errors: { path: string; message: string }[] = [];
  for (const [key, value] of Object.entries(set)) {
    const check = PATCHABLE_TOPIC_CONFIGS[key];
    if (!check) {
      errors.push({ path: `/set/${key}`, message: 'is not a config the API may change' });
      continue;
    }
    if (key in declared) {
      throw new ApiProblem(
        409,
        'config_owned_by_model',
        `${key} is declared by the platform model: change it there`,
        {
          errors: [{ in: 'body', path: `/set/${key}`, message: 'declared by the platform model' }],
        },
      );
    }
    const problem = check(value);
    if (problem) errors.push({ path: `/set/${key}`, message: problem });
  }
  if (errors.length > 0)
    throw new ApiProblem(400, 'config_not_allowed', 'some configs cannot be set', {
      errors: errors.map((e) => ({ in: 'body', ...e })),
    });
}
