import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { logRetentionFor } from '../src/stacks/log-retention';

describe('logRetentionFor', () => {
  it('picks the shortest offered period that is long enough', () => {
    expect(logRetentionFor(30)).toBe(RetentionDays.ONE_MONTH);
    expect(logRetentionFor(31)).toBe(RetentionDays.TWO_MONTHS);
    expect(logRetentionFor(2555)).toBe(RetentionDays.SEVEN_YEARS);
  });
  it('refuses a period longer than any offered (never silently "forever")', () => {
    expect(() => logRetentionFor(4000)).toThrow(/no CloudWatch Logs retention/);
  });
});
