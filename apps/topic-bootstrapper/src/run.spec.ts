import { loadPlatformModel, parsePlatformModel, type PlatformModel } from '@lakewall/platform-model';
import { readFileSync } from 'node:fs';
import { DEFAULT_MODEL_PATH } from '@lakewall/platform-model';
import { run, type Io } from './run';

function io(over: Partial<Io> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: Io = {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    stderrIsTty: true,
    env: {},
    ...over,
  };
  return { value, out: () => out.join(''), err: () => err.join('') };
}

describe('run (no Kafka needed)', () => {
  it('prints a malformed model with file:line and exits 1', async () => {
    const text = readFileSync(DEFAULT_MODEL_PATH, 'utf8').replace('partitions: 6', 'partitions: six');
    const t = io({ loadModel: () => parsePlatformModel(text, 'platform/platform.yaml') });
    expect(await run(['plan'], t.value)).toBe(1);
    expect(t.err()).toMatch(/platform\/platform\.yaml:\d+:\d+ kafka\.topicClasses\.cdc\.partitions/);
  });
  it('prints YAML syntax errors with file:line and exits 1', async () => {
    const t = io({ loadModel: () => parsePlatformModel('version: 1\nkafka: [unclosed\n', 'bad.yaml') });
    expect(await run(['plan'], t.value)).toBe(1);
    expect(t.err()).toMatch(/bad\.yaml:\d+:\d+/);
  });
  it('rejects a leaking model with exit 4 before connecting', async () => {
    const leaky: PlatformModel = structuredClone(loadPlatformModel());
    leaky.principals['sink-public'].kafka = { consume: { zones: ['mnpi'], group: 'g' } };
    const resolve = jest.fn();
    const t = io({ loadModel: () => leaky, resolveDeps: { env: {}, localDefaults: resolve } });
    expect(await run(['apply'], t.value)).toBe(4);
    expect(resolve).not.toHaveBeenCalled();
    expect(t.out()).toContain('User:sink-public');
    expect(t.out()).toContain('cdc.trades.mnpi');
  });
  it('returns exit 4 as JSON too', async () => {
    const leaky: PlatformModel = structuredClone(loadPlatformModel());
    leaky.principals['sink-public'].kafka = { consume: { zones: ['mnpi'], group: 'g' } };
    const t = io({ loadModel: () => leaky });
    expect(await run(['plan', '--json'], t.value)).toBe(4);
    const parsed = JSON.parse(t.out());
    expect(parsed.exitCode).toBe(4);
    expect(parsed.violations[0].principal).toBe('User:sink-public');
  });
  it('reports missing connection settings clearly (exit 1)', async () => {
    const t = io({ loadModel: loadPlatformModel });
    expect(await run(['plan', '--env', 'prod'], t.value)).toBe(1);
    expect(t.err()).toContain('no Kafka brokers');
  });
  it('prints at most 50 model problems, then a count', async () => {
    const text =
      readFileSync(DEFAULT_MODEL_PATH, 'utf8') +
      Array.from({ length: 80 }, (_, i) => `junk${i}: 1`).join('\n');
    const t = io({ loadModel: () => parsePlatformModel(text, 'm.yaml') });
    expect(await run(['plan'], t.value)).toBe(1);
    expect(
      t
        .err()
        .split('\n')
        .filter((l) => l.startsWith('  m.yaml:')),
    ).toHaveLength(50);
    expect(t.err()).toContain('... and 30 more problems');
  });
  it('usage errors exit 1', async () => {
    const t = io();
    expect(await run(['plan', '--env', 'nowhere'], t.value)).toBe(1);
    expect(t.err()).toContain('error:');
  });
  it('logs as pino JSON when stderr is not a terminal', async () => {
    const t = io({ stderrIsTty: false, loadModel: loadPlatformModel });
    expect(
      await run(['plan', '--brokers', '127.0.0.1:1', '--username', 'a', '--password', 'b'], t.value),
    ).toBe(1);
    const firstLine = t.err().split('\n')[0];
    expect(JSON.parse(firstLine)).toMatchObject({
      service: 'topic-bootstrapper',
      msg: expect.stringContaining('connecting'),
    });
  });
});
