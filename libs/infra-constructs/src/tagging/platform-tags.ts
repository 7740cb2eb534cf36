import { Tags } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Tag keys used on every resource; cost reports and access reviews filter on them. */
export const TAG_KEYS = {
  project: 'project',
  environment: 'environment',
  costCentre: 'cost-centre',
  classification: 'data-classification',
} as const;

export interface PlatformTagValues {
  readonly project: string;
  readonly environment: string;
  readonly costCentre: string;
}

/** Tags every taggable resource under `scope` with project, environment and cost centre. */
export function applyPlatformTags(scope: IConstruct, values: PlatformTagValues): void {
  Tags.of(scope).add(TAG_KEYS.project, values.project);
  Tags.of(scope).add(TAG_KEYS.environment, values.environment);
  Tags.of(scope).add(TAG_KEYS.costCentre, values.costCentre);
}

/**
 * Marks every resource under `scope` as holding data of `classification` (a zone of the model).
 * Applied on the construct that owns a zone's resources, so the tag follows the data, not the stack.
 */
export function classify(scope: IConstruct, classification: string): void {
  Tags.of(scope).add(TAG_KEYS.classification, classification);
}
