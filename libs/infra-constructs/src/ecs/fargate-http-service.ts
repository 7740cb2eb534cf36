import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { acknowledgeNag } from '../nag/acknowledge';
import { acknowledgeTaskDefinitionDefaults, refuseSecretLikeSettings } from './task-defaults';

/** The image's built-in unprivileged user (node:20-slim's "node"). */
export const SERVICE_USER = '1000';

export interface FargateHttpServiceProps {
  readonly cluster: ecs.ICluster;
  /** The image (a CDK asset built from the repository's Dockerfile at deploy time). */
  readonly image: ecs.ContainerImage;
  /** The port the service listens on inside the task. */
  readonly port: number;
  /** Path answering 200 while the process is alive, used by the container health check. */
  readonly healthCheckPath: string;
  /** Non-secret settings only; secrets are read by the program from Secrets Manager, or `secrets`. */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * Secrets ECS injects into the container's environment when the task starts (read by the task's
   * execution role, never written into the task definition), for images that take a password
   * from an environment variable and cannot read Secrets Manager themselves.
   * @default none
   */
  readonly secrets?: Readonly<Record<string, ecs.Secret>>;
  /**
   * A fixed name for the execution role (which pulls the image, writes logs and reads `secrets`),
   * so a key's allow-list in another stack can name it before it exists.
   * @default a name CloudFormation generates
   */
  readonly executionRoleName?: string;
  /** The service's own security group (its flows are declared by the caller with SgIngress). */
  readonly securityGroup: ec2.ISecurityGroup;
  /** Key of the log group. */
  readonly key: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** The task role's name: fixed, so key allow-lists of other stacks can name it before it exists. */
  readonly taskRoleName: string;
  /** What the task role acts for, e.g. "cdc-monitor task: the monitor principal". */
  readonly description: string;
  /**
   * CPU units (256, 512, 1024, ...).
   * @default 256
   */
  readonly cpu?: number;
  /**
   * Memory in MiB.
   * @default 512
   */
  readonly memoryMiB?: number;
  /**
   * Tasks kept running.
   * @default 1
   */
  readonly desiredCount?: number;
  /**
   * The unprivileged user the container runs as (uid), never root.
   * @default SERVICE_USER (node images' "node")
   */
  readonly user?: string;
  /**
   * The container health check's command (exit 0 when healthy).
   * @default a Node fetch of healthCheckPath on port
   */
  readonly healthCheckCommand?: readonly string[];
  /**
   * Seconds after start during which failed health checks do not count (a JVM service needs more
   * than a Node one). At most 300, as ECS allows.
   * @default 30
   */
  readonly healthCheckStartPeriodSeconds?: number;
  /**
   * 'rolling' starts new tasks before stopping old ones; 'replace' stops the old task first, for a
   * single writer of a volume (two Prometheus servers on one TSDB would corrupt it).
   * @default 'rolling'
   */
  readonly deployment?: 'rolling' | 'replace';
  /**
   * Registers the tasks' addresses as `<name>.<namespace>` (A records) in the cluster's default
   * Cloud Map namespace, for callers inside the VPC (Prometheus, Alertmanager).
   * @default not registered
   */
  readonly discoveryName?: string;
}

/**
 * A long-running Fargate service with the platform's container defaults in one place: non-root, a
 * read-only root filesystem, no privilege escalation, an HTTP health check, logs in a KMS-encrypted
 * group with retention, isolated subnets without a public address, deployment rollback on failure,
 * and a named task role with no permission until the caller grants one.
 */
export class FargateHttpService extends Construct {
  readonly service: ecs.FargateService;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly logGroup: logs.LogGroup;
  readonly taskRole: iam.Role;
  /** The role ECS starts the task as: image pull, logs and the container's `secrets`. */
  readonly executionRole: iam.IRole;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly port: number;

  constructor(scope: Construct, id: string, props: FargateHttpServiceProps) {
    super(scope, id);
    const injected = Object.keys(props.secrets ?? {}).find((k) => k in props.environment);
    if (injected) {
      throw new Error(
        `FargateHttpService ${this.node.path}: ${injected} is both a setting and a secret; name it once`,
      );
    }
    refuseSecretLikeSettings('FargateHttpService', this.node.path, props.environment);
    if (props.user === '0' || props.user === 'root') {
      throw new Error(`FargateHttpService ${this.node.path}: containers never run as root`);
    }
    if (props.deployment === 'replace' && (props.desiredCount ?? 1) !== 1) {
      throw new Error(`FargateHttpService ${this.node.path}: 'replace' deployments run exactly one task`);
    }
    const startPeriod = props.healthCheckStartPeriodSeconds ?? 30;
    if (!Number.isInteger(startPeriod) || startPeriod < 0 || startPeriod > 300) {
      throw new Error(
        `FargateHttpService ${this.node.path}: healthCheckStartPeriodSeconds must be a whole number from 0 to 300`,
      );
    }
    if (!props.healthCheckPath.startsWith('/')) {
      throw new Error(`FargateHttpService ${this.node.path}: healthCheckPath must start with "/"`);
    }
    this.securityGroup = props.securityGroup;
    this.port = props.port;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.key,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.taskRole = new iam.Role(this, 'TaskRole', {
      roleName: props.taskRoleName,
      description: props.description,
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    });
    const executionRole = props.executionRoleName
      ? new iam.Role(this, 'ExecutionRole', {
          roleName: props.executionRoleName,
          description: `${props.description} (execution role: image, logs and injected secrets)`,
          assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
        })
      : undefined;
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: props.cpu ?? 256,
      memoryLimitMiB: props.memoryMiB ?? 512,
      taskRole: this.taskRole,
      executionRole,
      // Images are built on the deploy runner (x86_64); no emulation needed.
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    // ECS ignores the Dockerfile's HEALTHCHECK; the same probe is declared here.
    const probe = `fetch('http://127.0.0.1:${props.port}${props.healthCheckPath}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`;
    const healthCheckCommand = props.healthCheckCommand ?? ['node', '-e', probe];
    this.container = this.taskDefinition.addContainer('Main', {
      image: props.image,
      environment: { ...props.environment },
      secrets: props.secrets ? { ...props.secrets } : undefined,
      portMappings: [{ containerPort: props.port, protocol: ecs.Protocol.TCP }],
      user: props.user ?? SERVICE_USER,
      readonlyRootFilesystem: true,
      privileged: false,
      essential: true,
      healthCheck: {
        command: ['CMD', ...healthCheckCommand],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(3),
        startPeriod: Duration.seconds(startPeriod),
        retries: 3,
      },
      linuxParameters: new ecs.LinuxParameters(this, 'Linux', { initProcessEnabled: true }),
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'service', logGroup: this.logGroup }),
    });
    this.linuxHardening();
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: props.desiredCount ?? 1,
      securityGroups: [props.securityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      assignPublicIp: false,
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: props.deployment === 'replace' ? 0 : 100,
      maxHealthyPercent: props.deployment === 'replace' ? 100 : 200,
      enableExecuteCommand: false,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      cloudMapOptions: props.discoveryName
        ? { name: props.discoveryName, dnsRecordType: servicediscovery.DnsRecordType.A }
        : undefined,
    });
    const obtained = acknowledgeTaskDefinitionDefaults(this.taskDefinition);
    this.executionRole = obtained;
  }

  /**
   * A writable scratch directory (task storage, gone with the task) for a container whose root
   * filesystem is read-only.
   */
  addScratchVolume(name: string, containerPath: string): void {
    this.taskDefinition.addVolume({ name });
    this.container.addMountPoints({ sourceVolume: name, containerPath, readOnly: false });
  }

  /** Drops every Linux capability: the services bind unprivileged ports and change no system state. */
  private linuxHardening(): void {
    this.container.linuxParameters!.dropCapabilities(ecs.Capability.ALL);
  }

  /**
   * Acknowledges the inline-policy finding on the task role once its grants are written (call after
   * the last grant): CDK writes grants into a policy attached to this role only.
   */
  acknowledgeTaskPolicy(reason: string): void {
    const policy = this.taskRole.node.tryFindChild('DefaultPolicy');
    if (policy) acknowledgeNag(policy, 'NIST.800.53.R5-IAMNoInlinePolicy', reason);
  }
}
