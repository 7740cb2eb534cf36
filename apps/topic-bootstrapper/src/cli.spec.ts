import { parseCli, UsageError } from './cli';

const parse = (...argv: string[]) => parseCli(argv, {}, () => undefined);

describe('parseCli', () => {
  it('parses plan with defaults', () => {
    expect(parse('plan')).toEqual({
      verb: 'plan',
      env: 'local',
      json: false,
      allowDelete: false,
      verbose: false,
      modelPath: undefined,
      connection: {
        brokers: undefined,
        username: undefined,
        password: undefined,
        mechanism: undefined,
        tls: undefined,
        caFile: undefined,
        secretArn: undefined,
        region: undefined,
      },
    });
  });
  it('parses apply with every option', () => {
    const c = parse(
      'apply',
      '--env',
      'prod',
      '--json',
      '--allow-delete',
      '--model',
      'm.yaml',
      '--brokers',
      'b:9096',
      '--username',
      'u',
      '--password',
      'p',
      '--sasl-mechanism',
      'scram-sha-256',
      '--tls',
      '--ca-file',
      'ca.pem',
      '--secret-arn',
      'arn:x',
      '--region',
      'eu-west-1',
    );
    expect(c).toMatchObject({
      verb: 'apply',
      env: 'prod',
      json: true,
      allowDelete: true,
      modelPath: 'm.yaml',
    });
    expect(c.connection).toEqual({
      brokers: 'b:9096',
      username: 'u',
      password: 'p',
      mechanism: 'scram-sha-256',
      tls: true,
      caFile: 'ca.pem',
      secretArn: 'arn:x',
      region: 'eu-west-1',
    });
  });
  it('parses verify', () => {
    expect(parse('verify', '--env', 'staging').verb).toBe('verify');
  });
  it('takes the default env from LAKEWALL_ENV', () => {
    expect(parseCli(['plan'], { LAKEWALL_ENV: 'dev' }, () => undefined).env).toBe('dev');
  });
  it('rejects an unknown environment', () => {
    expect(() => parse('plan', '--env', 'qa')).toThrow(UsageError);
    try {
      parse('plan', '--env', 'qa');
    } catch (e) {
      expect((e as UsageError).exitCode).toBe(1);
      expect((e as Error).message).toMatch(/qa.*local, dev, staging, prod|Allowed choices/);
    }
  });
  it('rejects an unknown command and unknown options', () => {
    expect(() => parse('destroy')).toThrow(UsageError);
    expect(() => parse('plan', '--force')).toThrow(/unknown option/);
  });
  it('asks for a command when none is given', () => {
    expect(() => parse()).toThrow(UsageError);
  });
  it('prints help with exit code 0', () => {
    let text = '';
    try {
      parseCli(['plan', '--help'], {}, (s) => (text += s));
    } catch (e) {
      expect((e as UsageError).exitCode).toBe(0);
    }
    expect(text).toContain('--allow-delete');
    expect(text).toContain('--secret-arn');
  });
});
