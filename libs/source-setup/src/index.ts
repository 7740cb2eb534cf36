/**
 * @lakewall/source-setup: the source PostgreSQL's roles, databases, DDL and grants from the platform
 * model, one code path for the local stack (a superuser) and RDS (its master user, at deploy time).
 */
export * from './plan';
export * from './setup';
