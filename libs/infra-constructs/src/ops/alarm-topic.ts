import { ArnFormat, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import { KeyAdministration } from '../defaults/key-administration';
import { denyUseExceptAllowList, secureKey } from '../defaults/secure-key';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** Alias of the topic's key, e.g. "alias/lakewall-dev-alarms". */
  readonly keyAlias: string;
  /**
   * What happens to the key when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The SNS topic operational alarms notify: KMS-encrypted, TLS-only publishing. */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.key = secureKey(this, 'Key', {
      description: 'Encrypts operational alarm notifications',
      alias: props.keyAlias,
      removalPolicy: props.removalPolicy,
    });
    // No role of the account publishes here, so of its principals only the deployment role may use
    // the key; CloudWatch (publishing) and SNS (delivering) use it as AWS services. Without this deny
    // any principal with kms:Decrypt on * could read the alarm history of the source database.
    const deploymentRoleArn = KeyAdministration.of(this).deploymentRoleArn;
    denyUseExceptAllowList(this.key, {
      sid: 'DenyUseOutsideAlarmsAllowList',
      allowed: () => [deploymentRoleArn],
    });
    // CloudWatch publishes alarm state changes to the encrypted topic with this key.
    this.key.grant(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
    this.topic = new sns.Topic(this, 'Topic', { masterKey: this.key, enforceSSL: true });
    // Without this statement CloudWatch cannot publish to the topic and every alarm fires silently.
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }
}
