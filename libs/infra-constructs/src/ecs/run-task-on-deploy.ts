import * as path from 'node:path';
import { CustomResource, Duration, RemovalPolicy, Stack, type CfnResource } from 'aws-cdk-lib';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, type IConstruct } from 'constructs';
import { acknowledgeNag } from '../nag/acknowledge';
import { acknowledgeWildcard, wildcardResourceFinding } from '../nag/wildcard-findings';
import type { OneShotTask } from './one-shot-task';

/** The handlers' directory: plain JavaScript, deployed as it is (no bundling, no Docker). */
export const RUN_TASK_HANDLER_DIR = path.join(__dirname, 'run-task-handler');

export interface RunTaskOnDeployProps {
  /** The one-shot task to run (its task definition, roles and security group). */
  readonly task: OneShotTask;
  /** The ECS cluster it runs in; its VPC's isolated subnets carry the task. */
  readonly cluster: ecs.ICluster;
  /** The container command for this run (explicit: never the image's default by accident). */
  readonly command: readonly string[];
  /**
   * What makes the task run again: the resource runs on Create and on every Update, and CloudFormation
   * updates it only when a property changes. The task definition's ARN is one already (a new image or
   * setting registers a new revision); pass a fingerprint of the inputs the task applies that live
   * outside it (e.g. the platform model). A deploy with the same values runs nothing.
   */
  readonly trigger: Readonly<Record<string, string>>;
  /** Key of the handlers' log groups. */
  readonly key: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /**
   * How long the task may take before the deploy fails.
   * @default Duration.minutes(15)
   */
  readonly totalTimeout?: Duration;
  /**
   * Where the task runs.
   * @default the cluster VPC's isolated subnets
   */
  readonly subnets?: ec2.SubnetSelection;
}

/**
 * Runs a one-shot ECS task during the deploy and fails the deploy unless it exits 0: a custom
 * resource (custom-resources Provider) whose onEvent handler calls ecs:RunTask and whose isComplete
 * handler polls ecs:DescribeTasks until the task has STOPPED. Create and Update run the task; Delete
 * does nothing. Resources that need the task's effect depend on `resource`.
 *
 * The handlers run outside the VPC: they call only the ECS control-plane API (no data, no secret),
 * and the isolated subnets have no ECS endpoint. The task itself runs in the isolated subnets with its
 * own security group and no public IP. The handlers may run this one task definition in this one
 * cluster, pass exactly its two roles, and describe tasks of this cluster.
 */
export class RunTaskOnDeploy extends Construct {
  /** The custom resource: a dependency on it waits for the task to have exited 0. */
  readonly resource: CustomResource;
  readonly onEventHandler: lambda.Function;
  readonly isCompleteHandler: lambda.Function;

  constructor(scope: Construct, id: string, props: RunTaskOnDeployProps) {
    super(scope, id);
    const container = props.task.taskDefinition.defaultContainer;
    if (!container) throw new Error(`RunTaskOnDeploy ${this.node.path}: the task has no container`);
    if (props.command.length === 0 || props.command.some((a) => !a)) {
      throw new Error(`RunTaskOnDeploy ${this.node.path}: give the command explicitly (non-empty arguments)`);
    }
    if (Object.keys(props.trigger).length === 0) {
      throw new Error(
        `RunTaskOnDeploy ${this.node.path}: a trigger (a fingerprint of the task's inputs) is required`,
      );
    }
    const totalTimeout = props.totalTimeout ?? Duration.minutes(15);
    const stack = Stack.of(this);
    const cluster = props.cluster;
    const taskDefinition = props.task.taskDefinition;
    const executionRole = taskDefinition.executionRole;
    if (!executionRole) throw new Error(`RunTaskOnDeploy ${this.node.path}: the task has no execution role`);

    const code = lambda.Code.fromAsset(RUN_TASK_HANDLER_DIR);
    const handler = (hid: string, entry: string, description: string): lambda.Function =>
      new lambda.Function(this, hid, {
        // Lambda deprecated nodejs20.x on 2026-04-30 (no new functions from 2027-02-01); nodejs24.x
        // is supported and, like every Node.js runtime since 18, ships the AWS SDK v3 the handlers use.
        runtime: lambda.Runtime.NODEJS_24_X,
        architecture: lambda.Architecture.ARM_64,
        handler: `index.${entry}`,
        code,
        description,
        timeout: Duration.seconds(30),
        memorySize: 256,
        logGroup: new logs.LogGroup(this, `${hid}Logs`, {
          encryptionKey: props.key,
          retention: props.logRetention,
          removalPolicy: RemovalPolicy.RETAIN,
        }),
      });
    this.onEventHandler = handler('OnEvent', 'onEvent', `Starts ${taskDefinition.node.path} during deploys`);
    this.isCompleteHandler = handler(
      'IsComplete',
      'isComplete',
      `Waits for ${taskDefinition.node.path} to exit during deploys`,
    );

    this.onEventHandler.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'RunThisTaskInThisCluster',
        actions: ['ecs:RunTask'],
        resources: [taskDefinition.taskDefinitionArn],
        conditions: { ArnEquals: { 'ecs:cluster': cluster.clusterArn } },
      }),
    );
    this.onEventHandler.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PassThisTasksRoles',
        actions: ['iam:PassRole'],
        resources: [taskDefinition.taskRole.roleArn, executionRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
    );
    const tasksOfCluster = stack.formatArn({
      service: 'ecs',
      resource: 'task',
      resourceName: `${cluster.clusterName}/*`,
    });
    this.isCompleteHandler.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DescribeTasksOfThisCluster',
        actions: ['ecs:DescribeTasks'],
        resources: [tasksOfCluster],
        conditions: { ArnEquals: { 'ecs:cluster': cluster.clusterArn } },
      }),
    );

    const frameworkLogs = new logs.LogGroup(this, 'ProviderLogs', {
      encryptionKey: props.key,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.onEventHandler,
      isCompleteHandler: this.isCompleteHandler,
      queryInterval: Duration.seconds(15),
      totalTimeout,
      logGroup: frameworkLogs,
      // Logging the waiter would give its role logs:PutResourcePolicy and log-delivery actions on "*";
      // what it does (poll isComplete, time out) is already in the handlers' and framework's logs.
      disableWaiterStateMachineLogging: true,
    });

    const subnets = cluster.vpc.selectSubnets(
      props.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    );
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::RunTaskOnDeploy',
      properties: {
        Cluster: cluster.clusterArn,
        TaskDefinition: taskDefinition.taskDefinitionArn,
        ContainerName: container.containerName,
        Command: [...props.command],
        Subnets: subnets.subnetIds,
        SecurityGroups: [props.task.securityGroup.securityGroupId],
        Trigger: { ...props.trigger },
      },
    });
    // The handlers' permissions must be in place before the resource asks them to act.
    for (const fn of [this.onEventHandler, this.isCompleteHandler]) {
      const policy = fn.role?.node.tryFindChild('DefaultPolicy');
      if (policy) this.resource.node.addDependency(policy);
    }
    this.acknowledgeFindings(provider, tasksOfCluster);
  }

  private acknowledgeFindings(provider: cr.Provider, tasksOfCluster: string): void {
    const during =
      'It runs only while CloudFormation deploys this stack, invoked synchronously by the custom resource framework';
    const functions: lambda.Function[] = [this.onEventHandler, this.isCompleteHandler];
    for (const child of provider.node.findAll()) {
      if (child instanceof lambda.Function && !functions.includes(child)) functions.push(child);
    }
    for (const fn of functions) {
      const cfn = fn.node.defaultChild as CfnResource;
      acknowledgeNag(
        cfn,
        'NIST.800.53.R5-LambdaDLQ',
        `${during}; a failure fails the deploy, which is its report.`,
      );
      acknowledgeNag(
        cfn,
        'NIST.800.53.R5-LambdaConcurrency',
        `${during}; one deploy at a time, a limit would protect nothing.`,
      );
      acknowledgeNag(
        cfn,
        'NIST.800.53.R5-LambdaInsideVPC',
        `${during}; it calls only the ECS and Lambda control-plane APIs (no data, no secret), and the isolated subnets have no ECS endpoint.`,
      );
      const role = fn.role;
      if (!role) continue;
      acknowledgeNag(
        role,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'The function writes only its own logs; the AWS-managed basic execution policy grants exactly that.',
      );
      const policy = role.node.tryFindChild('DefaultPolicy');
      if (policy) {
        acknowledgeNag(
          policy,
          'NIST.800.53.R5-IAMNoInlinePolicy',
          "The function's grants (its task, its roles, its handlers), written by CDK into a policy attached to its role only.",
        );
      }
    }
    acknowledgeWildcard(
      this.isCompleteHandler.node.findChild('ServiceRole').node.findChild('DefaultPolicy'),
      wildcardResourceFinding(this, tasksOfCluster),
      'Task ARNs are known only once RunTask returns; the statement is limited to tasks of this cluster (ecs:cluster condition).',
    );
    // The framework invokes the handlers (and the waiter its own functions) by ARN, any version.
    const invokes = (policy: IConstruct, targets: readonly lambda.Function[]) => {
      for (const target of targets) {
        acknowledgeWildcard(
          policy,
          wildcardResourceFinding(this, `${target.functionArn}:*`),
          `CDK's custom resource framework invokes ${target.node.id} (any version of that one function) and nothing else.`,
        );
      }
    };
    const framework = ['framework-onEvent', 'framework-isComplete', 'framework-onTimeout'].map(
      (fid) => provider.node.findChild(fid) as lambda.Function,
    );
    for (const fn of framework) {
      invokes(fn.node.findChild('ServiceRole').node.findChild('DefaultPolicy'), [
        this.onEventHandler,
        this.isCompleteHandler,
      ]);
    }
    const waiter = provider.node.findChild('waiter-state-machine');
    const waiterPolicy = waiter.node.findChild('Role').node.findChild('DefaultPolicy');
    invokes(waiterPolicy, framework.slice(1));
    acknowledgeNag(
      waiterPolicy,
      'NIST.800.53.R5-IAMNoInlinePolicy',
      "The waiter's one grant (invoke the framework's isComplete and onTimeout functions), in a policy attached to its role only.",
    );
    const waiterWhy =
      'The waiter only re-invokes isComplete until the task stops or the timeout passes; every attempt is logged by the functions themselves';
    acknowledgeNag(
      waiter,
      'AwsSolutions-SF1',
      `${waiterWhy}, and logging the state machine would need log-delivery rights on "*".`,
    );
    acknowledgeNag(
      waiter,
      'AwsSolutions-SF2',
      `${waiterWhy}; CDK's provider framework offers no X-Ray tracing for it.`,
    );
  }
}
