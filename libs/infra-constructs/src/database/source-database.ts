import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { KeyAdministration } from '../defaults/key-administration';
import { denyUseExceptAllowList, secureKey } from '../defaults/secure-key';
import { acknowledgeNag } from '../nag/acknowledge';
import type { LakeNetwork } from '../network/lake-network';
import { SgIngress } from '../network/sg-ingress';
import { maxSlotWalKeepSizeMb, supportsPerformanceInsights, DEFAULT_SLOT_WAL_SHARE } from './postgres-sizing';

export interface SourceDatabaseProps {
  readonly network: LakeNetwork;
  /** Instance class without the "db." prefix, e.g. "r6g.large" (model: database.instanceClass). */
  readonly instanceClass: string;
  /** Model: database.multiAz. */
  readonly multiAz: boolean;
  /** Model: database.allocatedStorageGiB. */
  readonly allocatedStorageGiB: number;
  /** Name of the database created on the instance (model: source.database). */
  readonly databaseName: string;
  /** PostgreSQL version, major.minor (e.g. '16.13'). */
  readonly engineVersion: string;
  /** Alias of the database key, e.g. "alias/lakewall-dev-source-db". */
  readonly keyAlias: string;
  /** DB instance identifier; also names the exported log groups, e.g. "lakewall-dev-source". */
  readonly instanceIdentifier: string;
  /** How long exported PostgreSQL logs are kept. */
  readonly logRetention: logs.RetentionDays;
  /** Where replication-lag and WAL alarms notify. */
  readonly alarmTopic: ITopic;
  /**
   * Refuse deletion of the instance (turn on for production).
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Share of allocated storage that WAL retained for replication slots may use.
   * @default 0.1
   */
  readonly slotWalShare?: number;
  /**
   * Automated backup retention.
   * @default Duration.days(7)
   */
  readonly backupRetention?: Duration;
  /**
   * Days between credential rotations.
   * @default 30
   */
  readonly rotationDays?: number;
  /**
   * What happens to the instance when it leaves the stack.
   * @default RemovalPolicy.SNAPSHOT
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Model principals cleared for the database's most restricted table: only they can be granted
   * its credentials or key.
   * @default - nobody
   */
  readonly clearedPrincipals?: readonly string[];
  /**
   * Roles of stacks deployed after this one (their fixed names) that grantSecretRead may grant the
   * admin credentials: on the key's allow-list by name, so this stack never refers to the later one.
   * @default - none
   */
  readonly secretReaderRoleNames?: readonly string[];
  /**
   * Vault Lock in compliance mode on the backup vault: recovery points cannot be deleted before
   * their retention ends, by anyone (model: immutableRecords). Irreversible after a grace period.
   * @default false
   */
  readonly lockBackups?: boolean;
}

/**
 * PostgreSQL logging that never writes statement text or bind values: the database holds every MNPI
 * table and its logs are readable by whoever may read CloudWatch Logs, not only by cleared roles.
 * Connections and disconnections are still logged (who, from where, when).
 */
export const NO_STATEMENT_TEXT_LOGGING: Readonly<Record<string, string>> = {
  log_statement: 'none',
  log_min_duration_statement: '-1',
  // The default logs the failing statement (with its literals) after every error.
  log_min_error_statement: 'panic',
  // DETAIL lines carry row values (e.g. "Key (trade_id)=(42) already exists").
  log_error_verbosity: 'terse',
  log_parameter_max_length: '0',
  log_parameter_max_length_on_error: '0',
};

/** PostgreSQL logs exported to CloudWatch Logs. */
const LOG_EXPORTS = ['postgresql', 'upgrade'] as const;

/** The PostgreSQL port; the data plane's Debezium reaches it through allowConnectionsFrom. */
export const POSTGRES_PORT = 5432;

/**
 * The trading PostgreSQL database that Debezium reads: KMS-encrypted, in isolated subnets, logical
 * replication on with a bounded WAL budget for slots, credentials in Secrets Manager rotated by a
 * hosted rotation function, IAM authentication, logs exported, backed up by AWS Backup, and alarmed
 * on replication-slot lag and WAL disk use.
 */
export class SourceDatabase extends Construct {
  readonly instance: rds.DatabaseInstance;
  readonly key: kms.Key;
  readonly securityGroup: ec2.SecurityGroup;
  readonly secret: secretsmanager.ISecret;
  readonly maxSlotWalKeepSizeMb: number;
  private readonly keyUsers = new Map<string, iam.IRole>();
  private readonly clearedPrincipals: ReadonlySet<string>;
  private readonly secretReaderRoleNames: ReadonlySet<string>;
  private backupRole?: iam.IRole;

  constructor(scope: Construct, id: string, props: SourceDatabaseProps) {
    super(scope, id);
    const vpc = props.network.vpc;
    const isolated = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    this.maxSlotWalKeepSizeMb = maxSlotWalKeepSizeMb(
      props.allocatedStorageGiB,
      props.slotWalShare ?? DEFAULT_SLOT_WAL_SHARE,
    );

    this.clearedPrincipals = new Set(props.clearedPrincipals ?? []);
    this.secretReaderRoleNames = new Set(props.secretReaderRoleNames ?? []);
    const stack = Stack.of(this);
    this.key = secureKey(this, 'Key', {
      description: 'Source database storage, credentials, backups and Performance Insights',
      alias: props.keyAlias,
    });
    // The same allow-list treatment as the MNPI zone key: storage, snapshots, the admin secret and
    // Performance Insights (which keeps SQL text) decrypt only for the roles listed here. A
    // snapshot restore or secret read by anyone else fails at KMS, whatever IAM grants them.
    const deploymentRoleArn = KeyAdministration.of(this).deploymentRoleArn;
    denyUseExceptAllowList(this.key, {
      sid: 'DenyUseOutsideDatabaseAllowList',
      allowed: () => [
        // CloudFormation creates the instance; RDS then uses the key on its behalf.
        deploymentRoleArn,
        ...(this.backupRole ? [this.backupRole.roleArn] : []),
        ...[...this.keyUsers.values()].map((r) => r.roleArn),
        ...[...this.secretReaderRoleNames].map((name) =>
          stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: name }),
        ),
      ],
    });
    this.securityGroup = props.network.newSecurityGroup(
      'DatabaseSecurityGroup',
      'Source PostgreSQL: reachable only from declared flows',
    );

    const major = props.engineVersion.split('.')[0]!;
    const engine = rds.DatabaseInstanceEngine.postgres({
      version: rds.PostgresEngineVersion.of(props.engineVersion, major),
    });
    const parameterGroup = new rds.ParameterGroup(this, 'Parameters', {
      engine,
      description: 'Logical replication for Debezium with a bounded WAL budget per slot',
      parameters: {
        'rds.logical_replication': '1',
        max_slot_wal_keep_size: String(this.maxSlotWalKeepSizeMb),
        'rds.force_ssl': '1',
        log_connections: '1',
        log_disconnections: '1',
        ...NO_STATEMENT_TEXT_LOGGING,
      },
    });

    // RDS would create the export log groups itself, unencrypted and kept forever; creating them
    // first, under the names RDS uses, gives them the database key and a retention period.
    this.key.grant(
      new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`).withConditions({
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: `/aws/rds/instance/${props.instanceIdentifier}/*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      }),
      'kms:Encrypt*',
      'kms:Decrypt*',
      'kms:ReEncrypt*',
      'kms:GenerateDataKey*',
      'kms:Describe*',
    );
    const logGroups = LOG_EXPORTS.map(
      (name) =>
        new logs.LogGroup(this, `${name}Logs`, {
          logGroupName: `/aws/rds/instance/${props.instanceIdentifier}/${name}`,
          encryptionKey: this.key,
          retention: props.logRetention,
          removalPolicy: RemovalPolicy.RETAIN,
        }),
    );

    const performanceInsights = supportsPerformanceInsights(props.instanceClass);
    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      engine,
      instanceIdentifier: props.instanceIdentifier,
      instanceType: new ec2.InstanceType(props.instanceClass),
      caCertificate: rds.CaCertificate.RDS_CA_RSA4096_G1,
      vpc,
      vpcSubnets: isolated,
      securityGroups: [this.securityGroup],
      multiAz: props.multiAz,
      allocatedStorage: props.allocatedStorageGiB,
      storageType: rds.StorageType.GP3,
      storageEncrypted: true,
      storageEncryptionKey: this.key,
      databaseName: props.databaseName,
      // RDS generates, stores (with the database key) and rotates the admin password itself: no
      // rotation function, no Lambda log group, no function role outside the allow-list.
      credentials: rds.Credentials.fromUsername('lakewall_admin', { encryptionKey: this.key }),
      manageMasterUserPassword: true,
      parameterGroup,
      iamAuthentication: true,
      publiclyAccessible: false,
      cloudwatchLogsExports: [...LOG_EXPORTS],
      monitoringInterval: Duration.seconds(60),
      enablePerformanceInsights: performanceInsights,
      performanceInsightEncryptionKey: performanceInsights ? this.key : undefined,
      backupRetention: props.backupRetention ?? Duration.days(7),
      deletionProtection: props.deletionProtection ?? true,
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.SNAPSHOT,
    });
    for (const group of logGroups) this.instance.node.addDependency(group);
    this.secret = this.instance.secret!;

    this.addBackupPlan(props.lockBackups ?? false, props.backupRetention ?? Duration.days(7));
    this.addReplicationAlarms(props.alarmTopic);
    this.acknowledgeFindings(props);
  }

  /**
   * Read access to the admin credentials for a role of a principal cleared for the database; the
   * role joins the database key's allow-list (a role of a later stack must be named in
   * `secretReaderRoleNames` instead, and the grant is then written in its own policy only). Refuses
   * principals the model does not clear.
   */
  grantSecretRead(principal: string, role: iam.IRole): iam.Grant {
    if (!this.clearedPrincipals.has(principal)) {
      throw new Error(
        `SourceDatabase ${this.node.path}: principal '${principal}' is not cleared for the source database; refusing to grant its credentials`,
      );
    }
    if (Stack.of(role) === Stack.of(this)) {
      this.keyUsers.set(role.node.path, role);
      return this.secret.grantRead(role);
    }
    const roleName = role instanceof iam.Role ? (role.node.defaultChild as iam.CfnRole).roleName : undefined;
    if (!roleName || !this.secretReaderRoleNames.has(roleName)) {
      throw new Error(
        `SourceDatabase ${this.node.path}: ${role.node.path} (role name ${roleName ?? 'generated'}) is in another stack and not in secretReaderRoleNames`,
      );
    }
    // In the grantee's policy alone: the key policy admits the role by name (see the allow-list).
    return iam.Grant.addToPrincipal({
      grantee: role,
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resourceArns: [this.secret.secretArn],
    }).combine(
      iam.Grant.addToPrincipal({
        grantee: role,
        actions: ['kms:Decrypt'],
        resourceArns: [this.key.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` },
        },
      }),
    );
  }

  /** Lets a security group open PostgreSQL connections (e.g. the Debezium task, later). */
  allowConnectionsFrom(peer: ec2.ISecurityGroup, description: string): void {
    SgIngress.allow(peer, this.securityGroup, ec2.Port.tcp(POSTGRES_PORT), description);
  }

  private addBackupPlan(lock: boolean, minRetention: Duration): void {
    const vault = new backup.BackupVault(this, 'BackupVault', {
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
      // Recovery points leave only by their lifecycle: nobody deletes them early or shortens it.
      blockRecoveryPointDeletion: true,
      // Compliance mode after three days: from then on not even the account root can unlock it.
      lockConfiguration: lock ? { minRetention, changeableFor: Duration.days(3) } : undefined,
    });
    // A copy to another vault would be re-encrypted with that vault's key, outside the allow-list.
    vault.addToAccessPolicy(
      new iam.PolicyStatement({
        sid: 'DenyCopyOutOfVault',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['backup:CopyFromBackupVault'],
        resources: ['*'],
      }),
    );
    const plan = new backup.BackupPlan(this, 'BackupPlan', {
      backupVault: vault,
      backupPlanRules: [backup.BackupPlanRule.daily(), backup.BackupPlanRule.monthly1Year()],
    });
    const selection = plan.addSelection('Selection', {
      resources: [backup.BackupResource.fromRdsDatabaseInstance(this.instance)],
    });
    this.backupRole = selection.node.findChild('Role') as iam.IRole;
    acknowledgeNag(
      selection.node.findChild('Role'),
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      'The AWS-maintained backup service policy tracks the permissions AWS Backup needs for RDS snapshots.',
    );
  }

  private addReplicationAlarms(topic: ITopic): void {
    const budgetBytes = this.maxSlotWalKeepSizeMb * 1024 * 1024;
    const alarm = (id: string, metricName: string, description: string) => {
      const created = new cloudwatch.Alarm(this, id, {
        metric: this.instance.metric(metricName, { statistic: 'Maximum', period: Duration.minutes(5) }),
        // Half the slot budget: time to act before PostgreSQL invalidates the slot.
        threshold: budgetBytes / 2,
        evaluationPeriods: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(new actions.SnsAction(topic));
      created.addOkAction(new actions.SnsAction(topic));
      return created;
    };
    alarm(
      'ReplicationSlotLagAlarm',
      'OldestReplicationSlotLag',
      'WAL held back by the oldest replication slot (Debezium) passed half the slot budget: is the connector running?',
    );
    alarm(
      'WalDiskUsageAlarm',
      'TransactionLogsDiskUsage',
      'Disk used by transaction logs passed half the slot WAL budget.',
    );
  }

  private acknowledgeFindings(props: SourceDatabaseProps): void {
    const db = this.instance.node.defaultChild!;
    acknowledgeNag(
      db,
      'AwsSolutions-RDS11',
      'The standard PostgreSQL port is kept: the instance is reachable only from declared security groups, so a non-default port adds no protection.',
    );
    const monitoringRole = this.instance.node.tryFindChild('MonitoringRole');
    if (monitoringRole) {
      acknowledgeNag(
        monitoringRole,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
        'The AWS-maintained enhanced monitoring policy only lets RDS write OS metrics to CloudWatch Logs.',
      );
    }
    if (!props.multiAz) {
      const reason =
        'Single-AZ by the platform model for this environment (non-production, cost); staging and production run Multi-AZ.';
      acknowledgeNag(db, 'AwsSolutions-RDS3', reason);
      acknowledgeNag(db, 'NIST.800.53.R5-RDSMultiAZSupport', reason);
    }
    if (props.deletionProtection === false) {
      const reason =
        'Deletion protection is on in production only; non-production instances are recreated from the model and snapshot on removal.';
      acknowledgeNag(db, 'AwsSolutions-RDS10', reason);
      acknowledgeNag(db, 'NIST.800.53.R5-RDSInstanceDeletionProtectionEnabled', reason);
    }
  }
}
