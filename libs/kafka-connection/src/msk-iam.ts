/**
 * MSK IAM access control for kafkajs: SASL/OAUTHBEARER with a token that AWS's signer
 * (aws-msk-iam-sasl-signer-js) presigns with an IAM role's credentials. MSK admits such a client on
 * its IAM listener (TLS, port 9098) and authorizes it by IAM policy, not by Kafka ACLs. Only the
 * bootstrapper's break glass uses it: the services authenticate with SCRAM.
 */
import type { KafkaConfig, OauthbearerProviderResponse, SASLOptions } from 'kafkajs';
import { ConnectionConfigError } from './errors';

/** Mints a token for `roleArn` in `region` (the signer's `generateAuthTokenFromRole` by default). */
export type MskIamTokenSource = (input: {
  readonly region: string;
  readonly roleArn: string;
  readonly sessionName: string;
}) => Promise<{ token: string; expiryTime: number }>;

export interface MskIamOptions {
  /** The role whose identity the client takes; CloudTrail records every assumption. */
  readonly roleArn: string;
  /** The cluster's region. */
  readonly region: string;
  /** Names the assumed-role session in CloudTrail. */
  readonly sessionName: string;
  /** @default the AWS signer, assuming `roleArn` with the ambient credentials */
  readonly tokenSource?: MskIamTokenSource;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** STS: 2-64 characters of [\w+=,.@-]. */
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

const signerTokenSource: MskIamTokenSource = async ({ region, roleArn, sessionName }) => {
  const { generateAuthTokenFromRole } = await import('aws-msk-iam-sasl-signer-js');
  return generateAuthTokenFromRole({ region, awsRoleArn: roleArn, awsRoleSessionName: sessionName });
};

/** SASL options that authenticate with MSK IAM as `roleArn`; checked before any network call. */
export function mskIamSasl(options: MskIamOptions): SASLOptions {
  const problems = [
    ROLE_ARN.test(options.roleArn) ? undefined : `role ARN '${options.roleArn}' is not an IAM role ARN`,
    REGION.test(options.region) ? undefined : `region '${options.region}' is not an AWS region`,
    SESSION_NAME.test(options.sessionName)
      ? undefined
      : `session name '${options.sessionName}' must be 2-64 characters of letters, digits and +=,.@_-`,
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0) throw new ConnectionConfigError(`MSK IAM authentication: ${problems.join('; ')}`);
  const source = options.tokenSource ?? signerTokenSource;
  return {
    mechanism: 'oauthbearer',
    oauthBearerProvider: async (): Promise<OauthbearerProviderResponse> => {
      try {
        const { token } = await source(options);
        return { value: token };
      } catch (err) {
        throw new ConnectionConfigError(
          `MSK IAM authentication: cannot get a token for ${options.roleArn}: ${(err as Error).name}: ${(err as Error).message}`,
        );
      }
    },
  };
}

/** A Kafka client config for MSK's IAM listener: TLS always (MSK refuses IAM in plaintext). */
export function mskIamKafkaConfig(
  base: Pick<KafkaConfig, 'clientId'>,
  brokers: readonly string[],
  options: MskIamOptions,
): KafkaConfig {
  if (brokers.length === 0) throw new ConnectionConfigError('MSK IAM authentication: no brokers given');
  const bad = brokers.filter((b) => !/^[^:\s]+:\d{1,5}$/.test(b));
  if (bad.length > 0)
    throw new ConnectionConfigError(`MSK IAM authentication: invalid broker address(es): ${bad.join(', ')}`);
  return { clientId: base.clientId, brokers: [...brokers], ssl: true, sasl: mskIamSasl(options) };
}
