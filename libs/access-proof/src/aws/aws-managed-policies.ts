import type { PolicyDocument } from '../types';

/**
 * Documents of the AWS managed policies the templates attach, as AWS publishes them (default
 * version). An attached AWS managed policy that is not listed here cannot be evaluated offline; the
 * report then assumes it allows everything (fail closed) and says so. Only policies whose content
 * cannot reach data belong here; add one by copying its default version from IAM, with its version.
 */
export const AWS_MANAGED_POLICIES: ReadonlyMap<string, { version: string; document: PolicyDocument }> =
  new Map([
    [
      'service-role/AWSLambdaBasicExecutionRole',
      {
        version: 'v1',
        document: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
              Resource: '*',
            },
          ],
        },
      },
    ],
    [
      'service-role/AmazonRDSEnhancedMonitoringRole',
      {
        version: 'v1',
        document: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'EnableCreationAndManagementOfRDSCloudwatchLogGroups',
              Effect: 'Allow',
              Action: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy'],
              Resource: ['arn:aws:logs:*:*:log-group:RDS*'],
            },
            {
              Sid: 'EnableCreationAndManagementOfRDSCloudwatchLogStreams',
              Effect: 'Allow',
              Action: [
                'logs:CreateLogStream',
                'logs:PutLogEvents',
                'logs:DescribeLogStreams',
                'logs:GetLogEvents',
              ],
              Resource: ['arn:aws:logs:*:*:log-group:RDS*:log-stream:*'],
            },
          ],
        },
      },
    ],
  ]);

/** The stand-in for an AWS managed policy the report cannot see: it may allow anything. */
export const UNKNOWN_POLICY_STANDIN: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

/** `arn:aws:iam::aws:policy/<path/name>` → `<path/name>`, or undefined for a customer policy ARN. */
export function awsManagedPolicyName(arn: string): string | undefined {
  const m = /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/.exec(arn);
  return m?.[1];
}
