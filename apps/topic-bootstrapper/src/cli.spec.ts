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
      connectTimeoutMs: 15_000,
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
  const usageError = (fn: () => unknown): UsageError => {
    try {
      fn();
    } catch (e) {
      if (e instanceof UsageError) return e;
      throw e;
    }
    throw new Error('expected a UsageError');
  };
  it('rejects an unknown environment', () => {
    const e = usageError(() => parse('plan', '--env', 'qa'));
    expect(e.exitCode).toBe(1);
    expect(e.message).toMatch(/qa.*local, dev, staging, prod|Allowed choices/);
  });
  it('rejects an unknown LAKEWALL_ENV with a clear message (no TypeError)', () => {
    const e = usageError(() => parseCli(['plan'], { LAKEWALL_ENV: 'nosuch' }, () => undefined));
    expect(e.exitCode).toBe(1);
    expect(e.message).toBe(
      "unknown environment 'nosuch' (from LAKEWALL_ENV): use one of local, dev, staging, prod",
    );
  });
  it('takes the connect timeout from the flag or LAKEWALL_KAFKA_CONNECT_TIMEOUT_MS, 15 s by default', () => {
    expect(parse('plan').connectTimeoutMs).toBe(15_000);
    expect(parse('plan', '--connect-timeout', '2000').connectTimeoutMs).toBe(2000);
    expect(
      parseCli(['plan'], { LAKEWALL_KAFKA_CONNECT_TIMEOUT_MS: '5000' }, () => undefined).connectTimeoutMs,
    ).toBe(5000);
    expect(usageError(() => parse('plan', '--connect-timeout', 'soon')).message).toMatch(
      /whole number of milliseconds/,
    );
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
    expect(usageError(() => parseCli(['plan', '--help'], {}, (s) => (text += s))).exitCode).toBe(0);
    expect(text).toContain('--allow-delete');
    expect(text).toContain('--secret-arn');
  });

  describe('break glass', () => {
    const ROLE = 'arn:aws:iam::111111111111:role/lakewall-dev-kafka-break-glass';
    const IAM_BROKERS = 'b-1.example:9098,b-2.example:9098';
    const withEnv = (env: Record<string, string>, ...argv: string[]) => parseCli(argv, env, () => undefined);

    it('is absent unless an identity is given', () => {
      expect(parse('apply').breakGlass).toBeUndefined();
    });
    it('takes a SCRAM user with its password from the environment only, refusing by default when not needed', () => {
      expect(
        withEnv({ LAKEWALL_BREAK_GLASS_PASSWORD: 'pw' }, 'apply', '--break-glass-username', 'admin')
          .breakGlass,
      ).toEqual({
        kind: 'scram',
        username: 'admin',
        password: 'pw',
        secretArn: undefined,
        brokers: undefined,
        whenNeeded: false,
      });
      expect(() => parse('apply', '--break-glass-username', 'admin')).toThrow(
        /LAKEWALL_BREAK_GLASS_PASSWORD/,
      );
    });
    it('takes an MSK IAM role with the IAM listener brokers, from flags or the environment', () => {
      const expected = { kind: 'msk-iam', roleArn: ROLE, brokers: IAM_BROKERS, whenNeeded: true };
      expect(
        parse(
          'apply',
          '--break-glass-iam-role-arn',
          ROLE,
          '--break-glass-brokers',
          IAM_BROKERS,
          '--break-glass-when-needed',
        ).breakGlass,
      ).toEqual(expected);
      expect(
        withEnv(
          {
            LAKEWALL_BREAK_GLASS_IAM_ROLE_ARN: ROLE,
            LAKEWALL_BREAK_GLASS_BROKERS: IAM_BROKERS,
            LAKEWALL_BREAK_GLASS_WHEN_NEEDED: 'true',
          },
          'apply',
        ).breakGlass,
      ).toEqual(expected);
    });
    it('refuses an IAM role without the IAM listener brokers', () => {
      expect(usageError(() => parse('apply', '--break-glass-iam-role-arn', ROLE)).message).toMatch(
        /--break-glass-iam-role-arn needs --break-glass-brokers .*port 9098/,
      );
    });
    it('refuses two break-glass identities at once', () => {
      expect(
        usageError(() =>
          withEnv(
            { LAKEWALL_BREAK_GLASS_PASSWORD: 'pw' },
            'apply',
            '--break-glass-username',
            'admin',
            '--break-glass-iam-role-arn',
            ROLE,
            '--break-glass-brokers',
            IAM_BROKERS,
          ),
        ).message,
      ).toMatch(/one break-glass identity/);
    });
    it('refuses --break-glass-when-needed without an identity', () => {
      expect(usageError(() => parse('apply', '--break-glass-when-needed')).message).toMatch(
        /--break-glass-when-needed needs a break-glass identity/,
      );
    });
    it('is an apply option only', () => {
      expect(() => parse('plan', '--break-glass-iam-role-arn', ROLE)).toThrow(/unknown option/);
    });
  });
});
