import { RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeNag } from '../nag/acknowledge';
import { acknowledgeWildcard } from '../nag/wildcard-findings';

export interface OneShotTaskProps {
  /** The image's repository name, e.g. "lakewall/topic-bootstrapper". */
  readonly repositoryName: string;
  /** The image tag to run (tags are immutable: one tag, one image). */
  readonly imageTag: string;
  /** Non-secret settings only; secrets are read by the program from Secrets Manager. */
  readonly environment: Readonly<Record<string, string>>;
  /** The task's own security group (its flows are declared by the caller with SgIngress). */
  readonly securityGroup: ec2.ISecurityGroup;
  /** Key of the repository and the log group. */
  readonly key: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /**
   * Arguments that replace the image's default command.
   * @default the image's CMD
   */
  readonly command?: readonly string[];
  /**
   * Memory in MiB.
   * @default 512
   */
  readonly memoryMiB?: number;
}

/**
 * A Fargate task that runs once and exits (the topic bootstrapper): its image in an ECR repository
 * this construct creates (immutable tags, scanned on push, KMS-encrypted), a non-root read-only
 * container, logs in an encrypted group with retention, and a task role with no permission until
 * the caller grants one.
 */
export class OneShotTask extends Construct {
  readonly repository: ecr.Repository;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly logGroup: logs.LogGroup;
  readonly securityGroup: ec2.ISecurityGroup;

  constructor(scope: Construct, id: string, props: OneShotTaskProps) {
    super(scope, id);
    const secretLike = Object.keys(props.environment).find((k) => /PASSWORD|SECRET(?!_ARN)|TOKEN/i.test(k));
    if (secretLike) {
      throw new Error(
        `OneShotTask ${this.node.path}: environment ${secretLike} looks like a secret; pass a Secrets Manager ARN instead`,
      );
    }
    this.securityGroup = props.securityGroup;
    this.repository = new ecr.Repository(this, 'Repository', {
      repositoryName: props.repositoryName,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.key,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: 256,
      memoryLimitMiB: props.memoryMiB ?? 512,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.ARM64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    this.taskDefinition.addContainer('Main', {
      image: ecs.ContainerImage.fromEcrRepository(this.repository, props.imageTag),
      environment: { ...props.environment },
      command: props.command ? [...props.command] : undefined,
      // The image's unprivileged "node" user; nothing is written to the image's filesystem.
      user: '1000',
      readonlyRootFilesystem: true,
      essential: true,
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'task', logGroup: this.logGroup }),
    });
    acknowledgeNag(
      this.taskDefinition.node.defaultChild!,
      'AwsSolutions-ECS2',
      'Only non-secret settings (environment name, brokers, TLS flag, secret ARNs) are environment variables; the constructor refuses anything that looks like a secret.',
    );
    const executionRole = this.taskDefinition.obtainExecutionRole();
    acknowledgeWildcard(
      executionRole,
      'Resource::*',
      'ecr:GetAuthorizationToken has no resource-level permissions; ECS needs it to pull the image.',
    );
    acknowledgeNag(
      executionRole.node.findChild('DefaultPolicy'),
      'NIST.800.53.R5-IAMNoInlinePolicy',
      "ECS's image pull and log grants, written by CDK into a policy attached to this execution role only.",
    );
  }
}
