/**
 * How CDC records travel through Kafka, per environment: Avro in the Confluent wire format through
 * the schema registry (byte 0, a 4-byte schema id, then Avro), or schemaless JSON. Debezium writes
 * and both Iceberg sinks read with the converters derived here, so the two ends never disagree.
 *
 * The Avro converter is Apicurio's (io.apicurio:apicurio-registry-utils-converter 2.6.13.Final, the
 * line whose dependencies all resolve), talking to the registry's v2 API. `as-confluent` makes it
 * write the 4-byte Confluent id instead of Apicurio's 8-byte one, `headers.enabled=false` puts the id
 * in the payload rather than in record headers, and `use-id=contentId` makes that id the one the
 * registry's Confluent-compatible API (`/apis/ccompat/v7/schemas/ids/{id}`) serves: a global id would
 * name a version, not a schema, and decode to the wrong schema (or none) once the two diverge.
 */
import type { EnvName, PlatformModel, SchemaCompatibilityName, WireFormatName } from '../schema';
import { isConfigProviderReference } from './connect-config-providers';
import { tablesOf, topicName } from './tables';

export const APICURIO_AVRO_CONVERTER = 'io.apicurio.registry.utils.converter.AvroConverter';
export const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';

/**
 * How long a converter trusts a schema it has looked up (a day). Only a schema it has not met yet
 * needs the registry, so a registry restart does not stop the connectors.
 */
export const SCHEMA_CACHE_MS = 86_400_000;

/** Where a connector reaches the schema registry; every value a config-provider reference. */
export interface SchemaRegistryTarget {
  /** The registry's v2 API base (`<registry>/apis/registry/v2`), as a config-provider reference. */
  readonly urlRef: string;
  /** HTTP basic authentication, when the registry asks for it. */
  readonly auth?: { readonly usernameRef: string; readonly passwordRef: string };
}

/** Whether the connector writes (and registers schemas) or only reads. */
export type ConverterRole = 'write' | 'read';

export function wireFormatOf(model: PlatformModel, env: EnvName): WireFormatName {
  return model.environments[env].wireFormat;
}

/** A CDC topic's registry subject (Confluent's TopicNameStrategy: `<topic>-key`, `<topic>-value`). */
export interface CdcSubject {
  readonly subject: string;
  readonly topic: string;
  readonly table: string;
  readonly part: 'key' | 'value';
  readonly compatibility: SchemaCompatibilityName;
}

/** Every CDC subject of an environment and its compatibility rule; none where the format is JSON. */
export function cdcSubjects(model: PlatformModel, env: EnvName): CdcSubject[] {
  if (wireFormatOf(model, env) !== 'avro') return [];
  return tablesOf(model)
    .flatMap((t) => {
      const topic = topicName(model, t.name, t.classification);
      return (['key', 'value'] as const).map((part) => ({
        subject: `${topic}-${part}`,
        topic,
        table: t.name,
        part,
        compatibility: t.schemaCompatibility,
      }));
    })
    .sort((a, b) => a.subject.localeCompare(b.subject));
}

function avroSettings(registry: SchemaRegistryTarget, role: ConverterRole): Record<string, string> {
  const refs: [string, string][] = [['URL', registry.urlRef]];
  if (registry.auth)
    refs.push(['user name', registry.auth.usernameRef], ['password', registry.auth.passwordRef]);
  for (const [what, v] of refs)
    if (!isConfigProviderReference(v))
      throw new Error(`the schema registry's ${what} must be a config-provider reference`);
  return {
    'apicurio.registry.url': registry.urlRef,
    'apicurio.registry.as-confluent': 'true',
    'apicurio.registry.use-id': 'contentId',
    'apicurio.registry.headers.enabled': 'false',
    // Only the writer registers; a reader that met an unknown id must fail, not invent a schema.
    'apicurio.registry.auto-register': role === 'write' ? 'true' : 'false',
    // The converter looks each cached schema up again after this period (30 s by default), and a
    // failed lookup fails the task at once (it retries only when rate-limited): a registry restart
    // would stop Debezium and the sinks. A schema and its content id never change, so keep them.
    'apicurio.registry.check-period-ms': String(SCHEMA_CACHE_MS),
    ...(registry.auth
      ? {
          'apicurio.auth.username': registry.auth.usernameRef,
          'apicurio.auth.password': registry.auth.passwordRef,
        }
      : {}),
  };
}

/**
 * The connector-level key and value converter settings for `format`. Avro needs the registry;
 * asking for Avro without one fails instead of falling back to JSON.
 */
export function deriveConverters(
  format: WireFormatName,
  role: ConverterRole,
  registry?: SchemaRegistryTarget,
): Record<string, string> {
  if (format === 'json')
    return {
      'key.converter': JSON_CONVERTER,
      'key.converter.schemas.enable': 'false',
      'value.converter': JSON_CONVERTER,
      'value.converter.schemas.enable': 'false',
    };
  if (!registry) throw new Error('the Avro wire format needs the schema registry (none given)');
  const settings = avroSettings(registry, role);
  const prefixed = (side: 'key' | 'value') => ({
    [`${side}.converter`]: APICURIO_AVRO_CONVERTER,
    ...Object.fromEntries(Object.entries(settings).map(([k, v]) => [`${side}.converter.${k}`, v])),
  });
  return { ...prefixed('key'), ...prefixed('value') };
}

/** The converters of `env`'s CDC connectors (by the model's wire format). */
export function deriveCdcConverters(
  model: PlatformModel,
  env: EnvName,
  role: ConverterRole,
  registry?: SchemaRegistryTarget,
): Record<string, string> {
  return deriveConverters(wireFormatOf(model, env), role, registry);
}
