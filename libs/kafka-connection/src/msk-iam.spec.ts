import { generateAuthTokenFromCredentialsProvider } from 'aws-msk-iam-sasl-signer-js';
import type { SASLOptions } from 'kafkajs';
import { mskIamKafkaConfig, mskIamSasl, type MskIamTokenSource } from './msk-iam';

const ROLE = 'arn:aws:iam::111111111111:role/lakewall-dev-kafka-break-glass';

/** AWS's own signer, presigning offline with fixed credentials (no STS call): the real token format. */
const signedOffline: MskIamTokenSource = ({ region }) =>
  generateAuthTokenFromCredentialsProvider({
    region,
    awsCredentialsProvider: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-example' }),
  });

async function tokenOf(sasl: SASLOptions): Promise<string> {
  if (sasl.mechanism !== 'oauthbearer') throw new Error(`expected oauthbearer, got ${sasl.mechanism}`);
  return (await sasl.oauthBearerProvider()).value;
}

describe('MSK IAM authentication for kafkajs', () => {
  it("presents a token that is MSK's presigned kafka-cluster:Connect request for the region", async () => {
    const sasl = mskIamSasl({
      roleArn: ROLE,
      region: 'eu-west-1',
      sessionName: 'break-glass',
      tokenSource: signedOffline,
    });
    const url = new URL(Buffer.from(await tokenOf(sasl), 'base64url').toString('utf8'));
    expect(url.host).toBe('kafka.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('Action')).toBe('kafka-cluster:Connect');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(
      /^AKIDEXAMPLE\/\d{8}\/eu-west-1\/kafka-cluster\//,
    );
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    // The secret key signs the token; it never travels in it.
    expect(url.toString()).not.toContain('secret-example');
  });

  it('asks the token source for the configured role and session', async () => {
    const asked: unknown[] = [];
    const sasl = mskIamSasl({
      roleArn: ROLE,
      region: 'us-east-1',
      sessionName: 'lakewall-bootstrapper-break-glass',
      tokenSource: async (input) => {
        asked.push({ ...input });
        return { token: 'tkn', expiryTime: Date.now() + 900_000 };
      },
    });
    expect(await tokenOf(sasl)).toBe('tkn');
    expect(asked).toEqual([
      expect.objectContaining({
        roleArn: ROLE,
        region: 'us-east-1',
        sessionName: 'lakewall-bootstrapper-break-glass',
      }),
    ]);
  });

  it('says which role a failed token was for, and why', async () => {
    const sasl = mskIamSasl({
      roleArn: ROLE,
      region: 'us-east-1',
      sessionName: 'bg',
      tokenSource: async () => {
        throw Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), {
          name: 'AccessDenied',
        });
      },
    });
    await expect(tokenOf(sasl)).rejects.toThrow(
      `MSK IAM authentication: cannot get a token for ${ROLE}: AccessDenied: User is not authorized to perform: sts:AssumeRole`,
    );
  });

  it('refuses a malformed role, region or session name before any network call, naming each', () => {
    expect(() =>
      mskIamSasl({ roleArn: 'lakewall-break-glass', region: 'Ireland', sessionName: 'x' }),
    ).toThrow(
      /role ARN 'lakewall-break-glass' is not an IAM role ARN; region 'Ireland' is not an AWS region; session name 'x' must be/,
    );
  });

  it('always uses TLS on the IAM listener and checks the broker addresses', () => {
    const config = mskIamKafkaConfig({ clientId: 'c' }, ['b-1.example:9098', 'b-2.example:9098'], {
      roleArn: ROLE,
      region: 'us-east-1',
      sessionName: 'bg',
    });
    expect(config.ssl).toBe(true);
    expect(config.brokers).toEqual(['b-1.example:9098', 'b-2.example:9098']);
    expect(config.sasl?.mechanism).toBe('oauthbearer');
    expect(() =>
      mskIamKafkaConfig({ clientId: 'c' }, ['b-1.example'], {
        roleArn: ROLE,
        region: 'us-east-1',
        sessionName: 'bg',
      }),
    ).toThrow(/invalid broker address\(es\): b-1.example/);
  });
});
