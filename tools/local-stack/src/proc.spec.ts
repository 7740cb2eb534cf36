import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  isOwnedProcess,
  ownedPid,
  parseStatStartTime,
  readProcStartTime,
  rssBytes,
  type PidRecord,
} from './proc';

describe('parseStatStartTime', () => {
  it('reads field 22 even when the command name has spaces and parentheses', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    const stat = `123 (java (weird) name) ${fields.join(' ')}`;
    expect(parseStatStartTime(stat)).toBe('22');
  });
});

describe('isOwnedProcess', () => {
  const rec: PidRecord = {
    pid: 1,
    startTime: '100',
    marker: '/state/kafka/server.properties',
    command: 'java',
  };
  it('accepts a live process with the same start time and our marker', () => {
    expect(
      isOwnedProcess(rec, {
        cmdline: 'java -cp x kafka.Kafka /state/kafka/server.properties',
        startTime: '100',
      }),
    ).toBe(true);
  });
  it('rejects a reused pid (different start time)', () => {
    expect(
      isOwnedProcess(rec, { cmdline: 'java kafka.Kafka /state/kafka/server.properties', startTime: '200' }),
    ).toBe(false);
  });
  it('rejects a process without our marker', () => {
    expect(
      isOwnedProcess(rec, { cmdline: 'java kafka.Kafka /other/server.properties', startTime: '100' }),
    ).toBe(false);
  });
  it('rejects a process that is gone', () => {
    expect(isOwnedProcess(rec, { cmdline: undefined, startTime: undefined })).toBe(false);
  });
});

describe('ownedPid against a real process', () => {
  it('recognises a child by its recorded pid file and ignores a tampered record', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ls-proc-'));
    const marker = path.join(dir, 'marker-arg');
    const node = spawn(process.execPath, ['-e', 'setTimeout(()=>{},30000)', marker], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const file = path.join(dir, 'p.json');
      const rec: PidRecord = {
        pid: node.pid!,
        startTime: readProcStartTime(node.pid!)!,
        marker,
        command: 'node',
      };
      fs.writeFileSync(file, JSON.stringify(rec));
      expect(ownedPid(file)).toBe(node.pid);
      expect(rssBytes(node.pid!)).toBeGreaterThan(0);
      fs.writeFileSync(file, JSON.stringify({ ...rec, marker: '/not/ours' }));
      expect(ownedPid(file)).toBeUndefined();
    } finally {
      node.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
