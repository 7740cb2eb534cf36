import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  describeLocalLake,
  localLake,
  localLakeRuntimePath,
  readLocalLakeDescriptor,
  redactCatalogSecrets,
  type LocalLakeDescriptor,
} from '../src';

const descriptor: LocalLakeDescriptor = {
  java: '/usr/bin/java',
  classpath: ['/cache/iceberg/lib', '/cache/reader-extra'],
  catalog: {
    name: 'lakewall',
    uri: 'jdbc:postgresql://127.0.0.1:15432/iceberg_catalog',
    user: 'iceberg_catalog',
    warehouse: 's3://lakewall-local-public-raw/',
    region: 'eu-west-1',
    s3Endpoint: 'http://127.0.0.1:19000',
  },
};

describe('the local lake description', () => {
  it('round-trips through the state directory and never holds a secret', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lake-reader-'));
    fs.writeFileSync(localLakeRuntimePath(dir), describeLocalLake(descriptor));
    expect(readLocalLakeDescriptor(dir)).toEqual(descriptor);
    expect(fs.readFileSync(localLakeRuntimePath(dir), 'utf8')).not.toMatch(/password|secret/i);
    fs.rmSync(dir, { recursive: true });
  });

  it('is absent (not an error) before the stack wrote it', () => {
    expect(readLocalLakeDescriptor(path.join(os.tmpdir(), 'no-such-stack'))).toBeUndefined();
  });

  it('takes the secrets from the caller, into the catalog properties only', () => {
    const { runtime, catalog } = localLake(descriptor, {
      password: 'pw-1',
      s3: { accessKeyId: 'AKID', secretAccessKey: 'SAK' },
    });
    expect(runtime).toEqual({ java: '/usr/bin/java', classpath: descriptor.classpath });
    expect(catalog.props).toMatchObject({
      'jdbc.password': 'pw-1',
      's3.access-key-id': 'AKID',
      's3.secret-access-key': 'SAK',
      's3.endpoint': 'http://127.0.0.1:19000',
    });
  });
});

describe('errors of the lake tool', () => {
  it('never carry the catalog secrets', () => {
    const { catalog } = localLake(descriptor, {
      password: 'pw-1',
      s3: { accessKeyId: 'AKID', secretAccessKey: 'SAK' },
    });
    expect(redactCatalogSecrets('login failed for pw-1 with AKID/SAK at 127.0.0.1', catalog)).toBe(
      'login failed for *** with ***/*** at 127.0.0.1',
    );
  });
});
