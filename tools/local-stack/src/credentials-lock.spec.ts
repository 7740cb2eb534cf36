import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureCredentials, hideSecrets, readCredentials } from './credentials';
import { withLock } from './lock';
import { redact } from '@lakewall/connect-rest';

const made: string[] = [];
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ls-'));
  made.push(d);
  return d;
};
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('credentials', () => {
  it('generates passwords once, keeps them, adds new principals, and is mode 0600', () => {
    const file = path.join(tmp(), 'credentials.json');
    const a = ensureCredentials(file, ['debezium'], ['debezium']);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(Object.keys(a.kafka).sort()).toEqual(['admin', 'debezium']);
    expect(a.kafka.admin).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const b = ensureCredentials(file, ['debezium', 'monitor'], ['debezium']);
    expect(b.kafka.admin).toBe(a.kafka.admin);
    expect(b.kafka.monitor).toBeDefined();
    expect(readCredentials(file)).toEqual(b);
  });
});

describe('withLock', () => {
  it('serialises concurrent holders', async () => {
    const file = path.join(tmp(), 'up.lock');
    const order: string[] = [];
    const job = (name: string) =>
      withLock(file, 10_000, async () => {
        order.push(`${name}:in`);
        await new Promise((r) => setTimeout(r, 100));
        order.push(`${name}:out`);
      });
    await Promise.all([job('a'), job('b')]);
    // Both in one process share a pid, so the second waits on the file like another process would.
    expect(
      order.indexOf('a:out') < order.indexOf('b:in') || order.indexOf('b:out') < order.indexOf('a:in'),
    ).toBe(true);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('takes over a lock whose owner is dead', async () => {
    const file = path.join(tmp(), 'up.lock');
    fs.writeFileSync(file, '999999999');
    await expect(withLock(file, 2_000, async () => 'ok')).resolves.toBe('ok');
  });
});

describe('redact', () => {
  it('hides passwords and JAAS configs in error text', () => {
    const t = redact(
      '{"database.password":"s3cret","producer.override.sasl.jaas.config":"Scram required username=\\"u\\" password=\\"p\\";"}',
    );
    expect(t).not.toContain('s3cret');
    expect(t).not.toMatch(/password=\\"p/);
  });
});

describe('hideSecrets', () => {
  it('masks every generated password', () => {
    const creds = {
      kafka: { admin: 'kafka-admin-secret-1' },
      postgres: { postgres: 'pg-super-secret-22' },
      kafkaController: 'controller-secret-3',
    };
    expect(hideSecrets('a kafka-admin-secret-1 b pg-super-secret-22 c controller-secret-3', creds)).toBe(
      'a *** b *** c ***',
    );
  });
});
