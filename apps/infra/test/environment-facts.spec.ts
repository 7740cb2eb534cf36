import { buildAll, CLOUD_ENVIRONMENTS, logicalId, resourcesOf } from './fixtures';

/** Facts each environment takes from the platform model rather than from the app. */
describe.each(CLOUD_ENVIRONMENTS)('%s follows the model', (env) => {
  const { model, stages, templates } = buildAll();
  const template = templates.get(env)!;
  const facts = model.environments[env];

  it('uses the model VPC range', () => {
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: facts.network!.cidr });
  });

  it('protects the stack from deletion only where the model says so', () => {
    expect(stages.get(env)!.infra.terminationProtection).toBe(facts.deletionProtection);
  });

  it('keeps the audit trail bucket objects for the audit retention', () => {
    type Lifecycle = { Rules?: { ExpirationInDays?: number; NoncurrentVersionExpiration?: unknown }[] };
    // The trail bucket itself (the access-log bucket has the same retention and must not satisfy this).
    const trailBucketId = logicalId(stages.get(env)!.infra.audit.logBucket.bucket);
    const trail = Object.values(resourcesOf(template, 'AWS::CloudTrail::Trail'))[0]!;
    expect(trail.Properties!.S3BucketName).toEqual({ Ref: trailBucketId });
    const rules =
      (
        resourcesOf(template, 'AWS::S3::Bucket')[trailBucketId]!.Properties!
          .LifecycleConfiguration as Lifecycle
      ).Rules ?? [];
    const expiring = rules.filter((r) => r.ExpirationInDays !== undefined);
    expect(expiring.map((r) => r.ExpirationInDays)).toEqual([facts.audit!.retentionDays]);
  });
});
