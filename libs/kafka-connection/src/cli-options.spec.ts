import { Command } from 'commander';
import {
  addConnectionFlags,
  connectionFromFlags,
  givenConnectionFlags,
  type ConnectionFlags,
} from './cli-options';

function parse(argv: string[], prefix?: string): { flags: ConnectionFlags; help: string } {
  let flags: ConnectionFlags = {};
  const cmd = addConnectionFlags(new Command('t').exitOverride(), { helpPrefix: prefix });
  cmd.action((o: ConnectionFlags) => void (flags = o));
  cmd.parse(argv, { from: 'user' });
  return { flags, help: cmd.helpInformation() };
}

describe('the shared Kafka connection flags', () => {
  it('turn every flag into the connection option it names', () => {
    const { flags } = parse([
      '--brokers',
      'b1:9096,b2:9096',
      '--username',
      'u',
      '--sasl-mechanism',
      'scram-sha-256',
      '--tls',
      '--ca-file',
      '/ca.pem',
      '--secret-arn',
      'arn:aws:secretsmanager:eu-west-1:1:secret:x',
      '--region',
      'eu-west-1',
    ]);
    expect(connectionFromFlags(flags)).toEqual({
      brokers: 'b1:9096,b2:9096',
      username: 'u',
      password: undefined,
      mechanism: 'scram-sha-256',
      tls: true,
      caFile: '/ca.pem',
      secretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:x',
      region: 'eu-west-1',
    });
  });

  it('name the given flags as typed, so a usage error points at what the user wrote', () => {
    const { flags } = parse(['--sasl-mechanism', 'plain', '--connect-timeout', '500']);
    expect(givenConnectionFlags(flags)).toEqual(['--sasl-mechanism', '--connect-timeout']);
    expect(givenConnectionFlags(parse([]).flags)).toEqual([]);
  });

  it("prefix every help text with the tool's condition", () => {
    const { help } = parse([], 'with --live: ');
    const lines = help.split('\n').filter((l) => /^\s+--(brokers|username|password|tls|region)\b/.test(l));
    expect(lines).toHaveLength(5);
    for (const l of lines) expect(l).toContain('with --live: ');
  });
});
