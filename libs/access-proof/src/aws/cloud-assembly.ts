import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** One CloudFormation resource as the synthesized template holds it. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
}

/** One stack of an environment: its template and where it came from. */
export interface StackTemplate {
  readonly stackName: string;
  readonly artifactId: string;
  readonly templateFile: string;
  readonly template: CfnTemplate;
}

/** Every stack of one environment, with the account and region the stage deploys to. */
export interface EnvironmentTemplates {
  readonly environment: string;
  readonly account: string;
  readonly region: string;
  readonly stacks: readonly StackTemplate[];
}

export class CloudAssemblyError extends Error {
  override name = 'CloudAssemblyError';
}

const ManifestSchema = z.object({
  artifacts: z
    .record(
      z.string(),
      z.object({
        type: z.string(),
        environment: z.string().optional(),
        properties: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .optional(),
});

const TemplateSchema = z.object({
  Resources: z
    .record(
      z.string(),
      z.object({ Type: z.string(), Properties: z.record(z.string(), z.unknown()).optional() }),
    )
    .optional(),
  Outputs: z
    .record(z.string(), z.object({ Value: z.unknown(), Export: z.object({ Name: z.unknown() }).optional() }))
    .optional(),
});

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CloudAssemblyError(`${file}: cannot read JSON (${(e as Error).message})`);
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CloudAssemblyError(`${file}: ${issue.path.join('.') || '(document)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** The environments (stage names) a cloud assembly directory holds. */
export function listEnvironments(cdkOut: string): string[] {
  const manifest = parse(
    ManifestSchema,
    readJson(join(cdkOut, 'manifest.json')),
    join(cdkOut, 'manifest.json'),
  );
  return Object.values(manifest.artifacts ?? {})
    .filter((a) => a.type === 'cdk:cloud-assembly')
    .map((a) => String(a.properties?.displayName ?? a.properties?.directoryName));
}

/**
 * Loads every stack template of one stage from a synthesized cloud assembly (`cdk.out`): the root
 * manifest names the stage's nested assembly, whose manifest names each stack's template and its
 * `aws://account/region` environment. Fails when the stage is missing or its stacks disagree on the
 * account or region, because the evaluation resolves every ARN for exactly one account.
 */
export function loadEnvironmentTemplates(cdkOut: string, environment: string): EnvironmentTemplates {
  const rootFile = join(cdkOut, 'manifest.json');
  if (!existsSync(rootFile))
    throw new CloudAssemblyError(`${cdkOut}: no manifest.json (not a synthesized cloud assembly)`);
  const root = parse(ManifestSchema, readJson(rootFile), rootFile);
  const nested = Object.values(root.artifacts ?? {}).find(
    (a) =>
      a.type === 'cdk:cloud-assembly' &&
      (a.properties?.displayName ?? a.properties?.directoryName) === environment,
  );
  const directory = nested?.properties?.directoryName;
  if (typeof directory !== 'string') {
    throw new CloudAssemblyError(
      `${rootFile}: no stage "${environment}" (stages: ${listEnvironments(cdkOut).join(', ') || 'none'})`,
    );
  }
  const stageDir = join(cdkOut, directory);
  const stageManifestFile = join(stageDir, 'manifest.json');
  const stageManifest = parse(ManifestSchema, readJson(stageManifestFile), stageManifestFile);
  const stacks: StackTemplate[] = [];
  const envs = new Set<string>();
  for (const [artifactId, artifact] of Object.entries(stageManifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const templateFile = join(stageDir, String(artifact.properties?.templateFile));
    envs.add(artifact.environment ?? '');
    stacks.push({
      artifactId,
      stackName: String(artifact.properties?.stackName ?? artifactId),
      templateFile,
      template: parse(TemplateSchema, readJson(templateFile), templateFile) as CfnTemplate,
    });
  }
  if (stacks.length === 0)
    throw new CloudAssemblyError(`${stageManifestFile}: stage "${environment}" has no stacks`);
  if (envs.size !== 1) {
    throw new CloudAssemblyError(
      `${stageManifestFile}: stacks of "${environment}" target several environments: ${[...envs].join(', ')}`,
    );
  }
  const match = /^aws:\/\/(\d{12})\/([a-z0-9-]+)$/.exec([...envs][0]);
  if (!match) {
    throw new CloudAssemblyError(
      `${stageManifestFile}: "${[...envs][0]}" is not a concrete aws://account/region (an environment-agnostic stack cannot be evaluated)`,
    );
  }
  return { environment, account: match[1], region: match[2], stacks };
}
