export * from './nag/acknowledge';
export * from './nag/wildcard-findings';
export * from './tagging/platform-tags';
export * from './network/availability-zones';
export * from './network/sg-ingress';
export * from './network/lake-network';
export * from './lake/lifecycle';
export * from './lake/log-bucket';
export * from './lake/kms-only-bucket';
export * from './lake/lake-zone';
export * from './lake/sink-writer-role';
export * from './catalog/partition-projection';
export * from './catalog/lake-catalog';
export * from './audit/lake-audit-trail';
export * from './ops/alarm-topic';
export * from './database/postgres-sizing';
export * from './database/source-database';
export * from './athena/human-role';
export * from './athena/athena-workgroup';
export * from './athena/lake-query-access';
<<<<<<< HEAD
export * from './defaults/key-actions';
export * from './defaults/key-administration';
export * from './defaults/secure-key';
=======
export * from './kafka/scram-secrets';
export * from './kafka/bootstrap-brokers';
export * from './kafka/bootstrap-endpoint';
export * from './kafka/msk-cluster';
>>>>>>> wip/aws-data-plane
