import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readConfig } from '../src/config';
import { connectAuthFor } from '../src/connections';

describe('Kafka Connect REST credentials', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'monitor-creds-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const local = () => readConfig({ env: 'local' }, { LAKEWALL_STATE_DIR: dir });
  const write = (content: string) => fs.writeFileSync(path.join(dir, 'credentials.json'), content);

  it('works without auth when the stack has none', () => {
    expect(connectAuthFor(local())).toBeUndefined();
    write(JSON.stringify({ kafka: {}, postgres: {} }));
    expect(connectAuthFor(local())).toBeUndefined();
  });

  it("takes the stack's Connect REST user when there is one", () => {
    write(JSON.stringify({ kafka: {}, postgres: {}, connectRest: { 'local-stack': 's3cret' } }));
    expect(connectAuthFor(local())).toEqual({ username: 'local-stack', password: 's3cret' });
  });

  it('ignores an unreadable credentials file, and explicit variables win', () => {
    write('{not json');
    expect(connectAuthFor(local())).toBeUndefined();
    const explicit = readConfig(
      { env: 'local' },
      { LAKEWALL_STATE_DIR: dir, LAKEWALL_CONNECT_USERNAME: 'ops', LAKEWALL_CONNECT_PASSWORD: 'pw' },
    );
    expect(connectAuthFor(explicit)).toEqual({ username: 'ops', password: 'pw' });
  });
});
