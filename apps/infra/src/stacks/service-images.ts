import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root: every service's Dockerfile builds from it (see the root .dockerignore). */
const REPO_ROOT = resolve(__dirname, '../../../..');

/** The Dockerfile of every ECS service and one-shot task, relative to the repository root. */
export const SERVICE_DOCKERFILES = {
  'topic-bootstrapper': 'apps/topic-bootstrapper/Dockerfile',
  'source-setup': 'apps/source-setup/Dockerfile',
  'cdc-monitor': 'apps/cdc-monitor/Dockerfile',
  'admin-api': 'apps/admin-api/Dockerfile',
  prometheus: 'apps/infra/images/prometheus/Dockerfile',
  alertmanager: 'apps/infra/images/alertmanager/Dockerfile',
  'schema-registry': 'apps/infra/images/schema-registry/Dockerfile',
  'cruise-control': 'apps/infra/images/cruise-control/Dockerfile',
} as const;
export type ServiceApp = keyof typeof SERVICE_DOCKERFILES;

/**
 * A service image as a CDK asset: synthesis only fingerprints the build context (no Docker), and
 * `cdk deploy` builds the image from the repository's Dockerfile and pushes it to the bootstrap
 * repository, tagged with its content hash.
 */
export function serviceImage(app: ServiceApp, root = REPO_ROOT): ecs.ContainerImage {
  const file = SERVICE_DOCKERFILES[app];
  if (!existsSync(join(root, file))) throw new Error(`service image: ${file} is missing under ${root}`);
  return ecs.ContainerImage.fromAsset(root, { file, platform: Platform.LINUX_AMD64 });
}

/** A container health check for JVM images, which carry curl but no Node: exit 0 on HTTP 2xx. */
export function curlProbe(port: number, pathAndQuery: string): string[] {
  return ['curl', '-fsS', '-o', '/dev/null', `http://127.0.0.1:${port}${pathAndQuery}`];
}
