import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * The shortest CloudWatch Logs retention that keeps logs at least `days` (CloudWatch only offers
 * fixed periods), so database logs live as long as the environment's lake data.
 */
export function logRetentionFor(days: number): RetentionDays {
  const offered = Object.values(RetentionDays)
    .filter((v): v is RetentionDays => typeof v === 'number' && v !== RetentionDays.INFINITE)
    .sort((a, b) => a - b);
  const found = offered.find((v) => v >= days);
  if (found === undefined)
    throw new Error(`logRetentionFor: no CloudWatch Logs retention of at least ${days} days`);
  return found;
}
