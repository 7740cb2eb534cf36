import { scrub, SourceSetupError } from './setup';

describe('errors', () => {
  it('name the step and the role', () => {
    expect(new SourceSetupError('grant rds_replication', 'debezium', 'permission denied').message).toBe(
      "source setup: grant rds_replication for role 'debezium' failed: permission denied",
    );
  });

  it('never carry a password, even when a server message would echo one', () => {
    expect(scrub('syntax error at or near "s3cr3t" and s3cr3t again', ['s3cr3t', ''])).toBe(
      'syntax error at or near "***" and *** again',
    );
  });
});
