import type { EnvironmentTemplates } from './cloud-assembly';
import { IntrinsicError, resolveValue, type ResolutionScope } from './intrinsics';

/** A template resource with every intrinsic in its properties resolved for the environment. */
export interface ResolvedResource {
  readonly stackName: string;
  /** A label that does not change between environments (see shortName). */
  readonly name: string;
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
  /** What `Ref` returns (a name or an ARN, depending on the type). */
  readonly ref: string;
  /** `Fn::GetAtt <id>.Arn` (or the type's ARN attribute) when the type has one. */
  readonly arn?: string;
  /** Tags as a map, whichever of the two CloudFormation tag shapes the type uses. */
  readonly tags: ReadonlyMap<string, string>;
}

export interface ResolvedEnvironment {
  readonly environment: string;
  readonly account: string;
  readonly region: string;
  readonly resources: readonly ResolvedResource[];
}

const ARN_ATTRIBUTE: Record<string, string> = {
  'AWS::S3::Bucket': 'Arn',
  'AWS::IAM::Role': 'Arn',
  'AWS::IAM::User': 'Arn',
  'AWS::KMS::Key': 'Arn',
  'AWS::RDS::DBInstance': 'DBInstanceArn',
  'AWS::Lambda::Function': 'Arn',
  'AWS::CloudTrail::Trail': 'Arn',
  'AWS::MSK::Cluster': 'Arn',
};

const REF_IS_ARN = new Set([
  'AWS::SecretsManager::Secret',
  'AWS::IAM::ManagedPolicy',
  'AWS::SNS::Topic',
  'AWS::MSK::Cluster',
]);

/**
 * Resolves every resource of every stack of the environment. Any intrinsic that cannot be resolved
 * is an error naming the stack, resource and property: a policy evaluated with a hole in it could
 * allow what the deployed one denies.
 */
export function resolveEnvironment(env: EnvironmentTemplates): ResolvedEnvironment {
  const exports = new Map<string, unknown>();
  const scopes = env.stacks.map((s): ResolutionScope => ({
    account: env.account,
    region: env.region,
    stackName: s.stackName,
    template: s.template,
    exports,
  }));
  // Exports first (they may only use the exporting stack's own resources), then resources.
  env.stacks.forEach((s, i) => {
    for (const [id, output] of Object.entries(s.template.Outputs ?? {})) {
      if (!output.Export) continue;
      const where = `${s.stackName} Outputs.${id}`;
      exports.set(
        String(resolveValue(output.Export.Name, scopes[i], where)),
        resolveValue(output.Value, scopes[i], where),
      );
    }
  });
  const resources: ResolvedResource[] = [];
  const stackPrefixes = env.stacks.map((s) => shortName(s.artifactId));
  env.stacks.forEach((s, i) => {
    for (const [logicalId, r] of Object.entries(s.template.Resources ?? {})) {
      const where = `${s.stackName} ${logicalId}`;
      const scope = scopes[i];
      const properties = (resolveValue(r.Properties ?? {}, scope, `${where}.Properties`) ?? {}) as Record<
        string,
        unknown
      >;
      const ref = String(resolveValue({ Ref: logicalId }, scope, where));
      const arnAttribute = ARN_ATTRIBUTE[r.Type];
      const arn = arnAttribute
        ? String(resolveValue({ 'Fn::GetAtt': [logicalId, arnAttribute] }, scope, where))
        : REF_IS_ARN.has(r.Type)
          ? ref
          : undefined;
      resources.push({
        stackName: s.stackName,
        name: shortName(logicalId, stackPrefixes),
        logicalId,
        type: r.Type,
        properties,
        ref,
        arn,
        tags: tagsOf(properties),
      });
    }
  });
  return { environment: env.environment, account: env.account, region: env.region, resources };
}

/** The resource's ARN; every type the access proof guards has one (see ARN_ATTRIBUTE, REF_IS_ARN). */
export function arnOf(r: ResolvedResource): string {
  if (r.arn === undefined)
    throw new Error(`${r.stackName} ${r.logicalId}: ${r.type} has no ARN the access proof knows`);
  return r.arn;
}

function tagsOf(properties: Record<string, unknown>): Map<string, string> {
  const tags = new Map<string, string>();
  const raw = properties.Tags ?? properties.BackupVaultTags;
  if (Array.isArray(raw)) {
    for (const t of raw)
      if (t && typeof t === 'object')
        tags.set(String((t as { Key: unknown }).Key), String((t as { Value: unknown }).Value));
  } else if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw)) tags.set(k, String(v));
  }
  return tags;
}

/**
 * A short label, the same in every environment: the logical id without the hash CDK appends and
 * without the stage-and-stack prefix CDK puts in front of a few generated ids (e.g. the database
 * secret's `devInfra…`).
 */
export function shortName(logicalId: string, stackPrefixes: readonly string[] = []): string {
  let name = logicalId.replace(/[0-9A-F]{8}(?:[0-9a-f]{32})?$/, '');
  for (const prefix of stackPrefixes)
    if (prefix && name.startsWith(prefix) && name !== prefix) name = name.slice(prefix.length);
  return name;
}

export { IntrinsicError };
