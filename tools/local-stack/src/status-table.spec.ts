import { renderStatusTable } from './status-table';
import type { StackStatus } from './status';

describe('renderStatusTable', () => {
  const base: StackStatus = {
    healthy: false,
    stateDir: '/s',
    credentialsFile: '/s/credentials.json',
    totalRssBytes: 300 * 1048576,
    components: [
      {
        name: 'kafka',
        endpoint: '127.0.0.1:19092',
        healthy: false,
        pid: null,
        rssBytes: 0,
        reason: 'not running',
        log: '/s/kafka/kafka.log',
        credentialsFile: '/s/credentials.json',
      },
      {
        name: 'postgres',
        endpoint: 'postgresql://127.0.0.1:15432',
        healthy: true,
        pid: 42,
        rssBytes: 300 * 1048576,
        log: '/s/postgres/postgres.log',
        credentialsFile: '/s/credentials.json',
      },
    ],
  };

  it('shows each component, the total RSS, the credentials file and the overall verdict', () => {
    const t = renderStatusTable(base);
    expect(t).toMatch(/^kafka\s+UNHEALTHY\s+-\s+127\.0\.0\.1:19092\s+-\s+not running$/m);
    expect(t).toMatch(/^postgres\s+healthy\s+42\s+postgresql:\/\/127\.0\.0\.1:15432\s+300 MiB$/m);
    expect(t).toContain('total RSS: 300 MiB   credentials: /s/credentials.json');
    expect(t).toContain('stack: UNHEALTHY');
  });
});
