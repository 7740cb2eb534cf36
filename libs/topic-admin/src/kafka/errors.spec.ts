import { describeKafkaError } from './errors';

describe('describeKafkaError', () => {
  const brokers = ['127.0.0.1:1'];
  it('connection refused', () => {
    const err = Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:1'), {
      name: 'KafkaJSConnectionError',
      code: 'ECONNREFUSED',
    });
    const e = describeKafkaError(
      { name: 'KafkaJSNumberOfRetriesExceeded', message: 'x', originalError: err },
      brokers,
    );
    expect(e.kind).toBe('unreachable');
    expect(e.message).toMatch(/^Cannot reach Kafka at 127.0.0.1:1: .*ECONNREFUSED/);
    expect(e.message).not.toContain('\n');
  });
  it('bad credentials', () => {
    const e = describeKafkaError(
      { name: 'KafkaJSSASLAuthenticationError', message: 'SASL SCRAM SHA512 authentication failed' },
      brokers,
      'admin',
    );
    expect(e.kind).toBe('authentication');
    expect(e.message).toContain("user 'admin'");
  });
  it('authorization', () => {
    const e = describeKafkaError(
      {
        name: 'KafkaJSProtocolError',
        type: 'CLUSTER_AUTHORIZATION_FAILED',
        message: 'Cluster authorization failed',
      },
      brokers,
      'outsider',
    );
    expect(e.kind).toBe('authorization');
  });
  it('per-topic aggregate errors', () => {
    const e = describeKafkaError(
      {
        name: 'KafkaJSAggregateError',
        message: 'Topic creation errors',
        errors: [{ topic: 't', message: 'bad config' }],
      },
      brokers,
    );
    expect(e.message).toContain('t: bad config');
  });
});
