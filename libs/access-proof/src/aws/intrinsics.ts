import type { CfnResource, CfnTemplate } from './cloud-assembly';

/**
 * Resolves CloudFormation intrinsics (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split,
 * Fn::ImportValue and the pseudo parameters) to the literal names and ARNs they will have in one
 * account and region, so that policies can be evaluated offline.
 *
 * Names CloudFormation generates at deploy time are replaced by stable stand-ins built from the
 * stack name and logical id (a role without RoleName becomes role/<stack>-<LogicalId>). What matters
 * for evaluation is that every reference to one resource resolves to the same ARN, and that the ARN
 * has the shape of the real one, so wildcards such as `arn:aws:s3:::*` and
 * `arn:aws:iam::111111111111:role/*` match exactly as they will once deployed.
 */
export interface ResolutionScope {
  readonly account: string;
  readonly region: string;
  readonly partition?: string;
  readonly stackName: string;
  readonly template: CfnTemplate;
  /** Export name → value, across every stack of the environment (for Fn::ImportValue). */
  readonly exports?: ReadonlyMap<string, unknown>;
}

export class IntrinsicError extends Error {
  override name = 'IntrinsicError';
}

/** Marker for AWS::NoValue: the property or list item disappears. */
const NO_VALUE = Symbol('AWS::NoValue');

export function resolveValue(value: unknown, scope: ResolutionScope, where = '(template)'): unknown {
  const out = resolve(value, scope, where);
  return out === NO_VALUE ? undefined : out;
}

function resolve(value: unknown, scope: ResolutionScope, where: string): unknown {
  if (Array.isArray(value)) {
    return value.map((v, i) => resolve(v, scope, `${where}[${i}]`)).filter((v) => v !== NO_VALUE);
  }
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [key, arg] = entries[0];
    const fn = INTRINSICS[key];
    if (fn) return fn(arg, scope, `${where}.${key}`);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    const r = resolve(v, scope, `${where}.${k}`);
    if (r !== NO_VALUE) out[k] = r;
  }
  return out;
}

type Intrinsic = (arg: unknown, scope: ResolutionScope, where: string) => unknown;

const INTRINSICS: Record<string, Intrinsic> = {
  Ref: (arg, scope, where) => ref(String(arg), scope, where),
  'Fn::GetAtt': (arg, scope, where) => {
    const [logicalId, attribute] = Array.isArray(arg) ? arg.map(String) : String(arg).split(/\.(.*)/s);
    return getAtt(logicalId, attribute, scope, where);
  },
  'Fn::Join': (arg, scope, where) => {
    const [sep, parts] = expectArray(arg, 2, where);
    const resolved = resolve(parts, scope, where);
    if (!Array.isArray(resolved)) throw new IntrinsicError(`${where}: Fn::Join needs a list`);
    return resolved.map((p) => asString(p, where)).join(String(sep));
  },
  'Fn::Sub': (arg, scope, where) => {
    const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
    const variables = resolve(vars, scope, where) as Record<string, unknown>;
    return String(text).replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) => {
      if (name in variables) return asString(variables[name], where);
      if (name.includes('.')) {
        const [logicalId, attribute] = name.split(/\.(.*)/s);
        return asString(getAtt(logicalId, attribute, scope, where), where);
      }
      return asString(ref(name, scope, where), where);
    });
  },
  'Fn::Select': (arg, scope, where) => {
    const [index, list] = expectArray(arg, 2, where);
    const resolved = resolve(list, scope, where);
    const i = Number(resolve(index, scope, where));
    if (!Array.isArray(resolved) || !(i >= 0 && i < resolved.length)) {
      throw new IntrinsicError(`${where}: Fn::Select index ${i} is outside the list`);
    }
    return resolved[i];
  },
  'Fn::Split': (arg, scope, where) => {
    const [sep, text] = expectArray(arg, 2, where);
    return asString(resolve(text, scope, where), where).split(String(sep));
  },
  'Fn::GetAZs': (_arg, scope) => ['a', 'b', 'c'].map((z) => `${scope.region}${z}`),
  'Fn::ImportValue': (arg, scope, where) => {
    const name = asString(resolve(arg, scope, where), where);
    if (!scope.exports?.has(name))
      throw new IntrinsicError(`${where}: no stack of this environment exports "${name}"`);
    return scope.exports.get(name);
  },
};

function expectArray(arg: unknown, length: number, where: string): unknown[] {
  if (!Array.isArray(arg) || arg.length !== length) {
    throw new IntrinsicError(`${where}: expected a list of ${length} arguments`);
  }
  return arg;
}

function asString(value: unknown, where: string): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  throw new IntrinsicError(`${where}: expected a string, got ${JSON.stringify(value)}`);
}

function partitionOf(scope: ResolutionScope): string {
  return scope.partition ?? 'aws';
}

function resourceOf(logicalId: string, scope: ResolutionScope, where: string): CfnResource {
  const r = scope.template.Resources?.[logicalId];
  if (!r) throw new IntrinsicError(`${where}: "${logicalId}" is not a resource of stack ${scope.stackName}`);
  return r;
}

function prop(
  resource: CfnResource,
  scope: ResolutionScope,
  path: string[],
  where: string,
): string | undefined {
  let v: unknown = resource.Properties;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return v === undefined ? undefined : asString(resolveValue(v, scope, where), where);
}

/** The physical name CloudFormation would generate: `<stack>-<LogicalId>`. */
function generatedName(logicalId: string, scope: ResolutionScope): string {
  return `${scope.stackName}-${logicalId}`;
}

function ref(name: string, scope: ResolutionScope, where: string): unknown {
  const pseudo: Record<string, () => unknown> = {
    'AWS::AccountId': () => scope.account,
    'AWS::Region': () => scope.region,
    'AWS::Partition': () => partitionOf(scope),
    'AWS::URLSuffix': () => 'amazonaws.com',
    'AWS::StackName': () => scope.stackName,
    'AWS::StackId': () =>
      `arn:${partitionOf(scope)}:cloudformation:${scope.region}:${scope.account}:stack/${scope.stackName}/00000000-0000-0000-0000-000000000000`,
    'AWS::NotificationARNs': () => [],
    'AWS::NoValue': () => NO_VALUE,
  };
  if (pseudo[name]) return pseudo[name]();
  const parameter = (scope.template as { Parameters?: Record<string, { Default?: unknown }> }).Parameters?.[
    name
  ];
  if (parameter) {
    if (parameter.Default === undefined)
      throw new IntrinsicError(`${where}: parameter ${name} has no default`);
    return parameter.Default;
  }
  const r = resourceOf(name, scope, where);
  const p = (path: string[]) => prop(r, scope, path, where);
  const arn = (service: string, rest: string, region = scope.region) =>
    `arn:${partitionOf(scope)}:${service}:${region}:${scope.account}:${rest}`;
  switch (r.Type) {
    case 'AWS::S3::Bucket':
      return p(['BucketName']) ?? generatedName(name, scope).toLowerCase();
    case 'AWS::IAM::Role':
      return p(['RoleName']) ?? generatedName(name, scope);
    case 'AWS::IAM::User':
      return p(['UserName']) ?? generatedName(name, scope);
    case 'AWS::IAM::ManagedPolicy':
      return arn(
        'iam',
        `policy${p(['Path']) ?? '/'}${p(['ManagedPolicyName']) ?? generatedName(name, scope)}`,
        '',
      );
    case 'AWS::KMS::Key':
      return keyId(name);
    case 'AWS::SecretsManager::Secret':
      return secretArn(name, r, scope, where);
    case 'AWS::RDS::DBInstance':
      return (p(['DBInstanceIdentifier']) ?? generatedName(name, scope)).toLowerCase();
    case 'AWS::Athena::WorkGroup':
      return p(['Name']) ?? generatedName(name, scope);
    case 'AWS::Glue::Database':
      return p(['DatabaseInput', 'Name']) ?? name.toLowerCase();
    case 'AWS::SNS::Topic':
      return arn('sns', p(['TopicName']) ?? generatedName(name, scope));
    case 'AWS::CloudTrail::Trail':
      return p(['TrailName']) ?? generatedName(name, scope);
    case 'AWS::MSK::Cluster':
      return arn(
        'kafka',
        `cluster/${p(['ClusterName']) ?? generatedName(name, scope)}/00000000-0000-0000-0000-000000000000-1`,
      );
    default:
      // Every other resource's Ref is an opaque physical id; a stable stand-in is enough.
      return `${name}`;
  }
}

/** A stand-in KMS key id: a UUID-shaped string derived from the logical id, stable across runs. */
function keyId(logicalId: string): string {
  return `key-${logicalId}`;
}

function secretArn(logicalId: string, r: CfnResource, scope: ResolutionScope, where: string): string {
  const name = prop(r, scope, ['Name'], where) ?? generatedName(logicalId, scope);
  // Secrets Manager appends a six-character suffix to every secret's ARN.
  return `arn:${partitionOf(scope)}:secretsmanager:${scope.region}:${scope.account}:secret:${name}-AbCdEf`;
}

function getAtt(logicalId: string, attribute: string, scope: ResolutionScope, where: string): unknown {
  const r = resourceOf(logicalId, scope, where);
  const physical = () => asString(ref(logicalId, scope, where), where);
  const p = (path: string[]) => prop(r, scope, path, where);
  const partition = partitionOf(scope);
  const key = `${r.Type}.${attribute}`;
  switch (key) {
    case 'AWS::S3::Bucket.Arn':
      return `arn:${partition}:s3:::${physical()}`;
    case 'AWS::S3::Bucket.DomainName':
    case 'AWS::S3::Bucket.RegionalDomainName':
      return `${physical()}.s3.${scope.region}.amazonaws.com`;
    case 'AWS::IAM::Role.Arn':
      return `arn:${partition}:iam::${scope.account}:role${p(['Path']) ?? '/'}${physical()}`;
    case 'AWS::IAM::User.Arn':
      return `arn:${partition}:iam::${scope.account}:user${p(['Path']) ?? '/'}${physical()}`;
    case 'AWS::IAM::Role.RoleId':
      return `AROA${logicalId.toUpperCase().slice(0, 17)}`;
    case 'AWS::KMS::Key.Arn':
      return `arn:${partition}:kms:${scope.region}:${scope.account}:key/${physical()}`;
    case 'AWS::KMS::Key.KeyId':
      return physical();
    case 'AWS::SecretsManager::Secret.Id':
      return physical();
    case 'AWS::RDS::DBInstance.DBInstanceArn':
      return `arn:${partition}:rds:${scope.region}:${scope.account}:db:${physical()}`;
    case 'AWS::RDS::DBInstance.DbiResourceId':
      return `db-${logicalId.toUpperCase()}`;
    case 'AWS::Lambda::Function.Arn':
      return `arn:${partition}:lambda:${scope.region}:${scope.account}:function:${p(['FunctionName']) ?? generatedName(logicalId, scope)}`;
    case 'AWS::SNS::Topic.TopicArn':
      return physical();
    case 'AWS::CloudTrail::Trail.Arn':
      return `arn:${partition}:cloudtrail:${scope.region}:${scope.account}:trail/${physical()}`;
    case 'AWS::MSK::Cluster.Arn':
      return physical();
    case 'AWS::ECR::Repository.Arn':
      return `arn:${partition}:ecr:${scope.region}:${scope.account}:repository/${p(['RepositoryName']) ?? generatedName(logicalId, scope).toLowerCase()}`;
    default:
      // Attributes that never name a resource a policy could guard (endpoints, security group ids, ...):
      // a recognisable stand-in that cannot match any real ARN.
      return `${logicalId}.${attribute}`;
  }
}
