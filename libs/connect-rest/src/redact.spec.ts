import { redact, redactConfig } from './redact';

describe('redact', () => {
  it('masks passwords and JAAS configs in error text', () => {
    const text = redact(
      '{"database.password":"s3cret","sasl.jaas.config":"org.apache.kafka.common.security.scram.ScramLoginModule required username=\\"u\\" password=\\"p\\";"}',
    );
    expect(text).not.toMatch(/s3cret/);
    expect(text).not.toMatch(/password=\\"p\\"/);
  });

  it('masks secret values in a connector config but keeps config-provider references', () => {
    const out = redactConfig({
      'database.password': 'plain',
      'database.user': 'debezium',
      'iceberg.catalog.s3.secret-access-key': '${file:/secrets/s3.properties:secret}',
    });
    expect(out['database.password']).toBe('***');
    expect(out['database.user']).toBe('debezium');
    expect(out['iceberg.catalog.s3.secret-access-key']).toBe('${file:/secrets/s3.properties:secret}');
  });
});
