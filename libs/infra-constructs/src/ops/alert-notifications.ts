import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { KeyAdministration } from '../defaults/key-administration';
import { denyUseExceptAllowList, secureKey } from '../defaults/secure-key';
import { acknowledgeNag } from '../nag/acknowledge';

export interface AlertNotificationsProps {
  /** Alias of the key that encrypts the topic and its dead-letter queue. */
  readonly keyAlias: string;
  /**
   * Addresses notified of every alert (each confirms its subscription once).
   * @default none
   */
  readonly emails?: readonly string[];
}

/**
 * Where Alertmanager sends alerts: a KMS-encrypted SNS topic that admits TLS only and whose policy
 * names the publishers granted with `grantPublish`, and a KMS-encrypted dead-letter queue that keeps
 * every notification a subscription could not deliver (14 days).
 */
export class AlertNotifications extends Construct {
  readonly topic: sns.Topic;
  readonly deadLetterQueue: sqs.Queue;
  readonly key: kms.Key;
  private readonly publishers: iam.IRole[] = [];

  constructor(scope: Construct, id: string, props: AlertNotificationsProps) {
    super(scope, id);
    this.key = secureKey(this, 'Key', {
      description: 'Encrypts alert notifications and their dead-letter queue',
      alias: props.keyAlias,
    });
    // Of the account's principals only the deployment role and the publishers may use the key; SNS
    // (moving notifications to the dead-letter queue) and SQS use it as AWS services.
    const deploymentRoleArn = KeyAdministration.of(this).deploymentRoleArn;
    denyUseExceptAllowList(this.key, {
      sid: 'DenyUseOutsideAlertsAllowList',
      allowed: () => [deploymentRoleArn, ...this.publishers.map((r) => r.roleArn)],
    });
    // SNS encrypts what it moves to the encrypted dead-letter queue with this key.
    this.key.grant(new iam.ServicePrincipal('sns.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new sns.Topic(this, 'Topic', { masterKey: this.key, enforceSSL: true });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeNag(
      this.deadLetterQueue.node.defaultChild!,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the alert subscriptions.',
    );
    for (const [i, email] of (props.emails ?? []).entries()) {
      new sns.Subscription(this, `Email${i}`, {
        topic: this.topic,
        protocol: sns.SubscriptionProtocol.EMAIL,
        endpoint: email,
        deadLetterQueue: this.deadLetterQueue,
      });
    }
  }

  /**
   * Lets `publisher` publish: the topic policy names the role, and the role may publish to this
   * topic and use the key for it (SNS encrypts with the caller's rights).
   */
  grantPublish(publisher: iam.IRole): iam.Grant {
    this.publishers.push(publisher);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowAlertPublisher',
        principals: [new iam.ArnPrincipal(publisher.roleArn)],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
      }),
    );
    // Written by hand: Topic.grantPublish adds kms:GenerateDataKey* on the key, wider than SNS needs.
    return iam.Grant.addToPrincipal({
      grantee: publisher,
      actions: ['sns:Publish'],
      resourceArns: [this.topic.topicArn],
    }).combine(this.key.grant(publisher, 'kms:Decrypt', 'kms:GenerateDataKey'));
  }
}
