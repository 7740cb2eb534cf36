import { buildAll, CLOUD_ENVIRONMENTS, resourcesOf } from './fixtures';

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
    type Lifecycle = { Rules?: { ExpirationInDays?: number }[] };
    const rules = Object.values(resourcesOf(template, 'AWS::S3::Bucket')).flatMap(
      (b) => (b.Properties?.LifecycleConfiguration as Lifecycle | undefined)?.Rules ?? [],
    );
    expect(rules.some((r) => r.ExpirationInDays === facts.audit!.retentionDays)).toBe(true);
  });
});
