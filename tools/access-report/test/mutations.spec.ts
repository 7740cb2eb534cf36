import { buildAccessReport, EXIT, type CfnResource } from '@lakewall/access-proof';
import { expected, logicalIdOf, model, resourceNamed, statementsOf, withHole } from './real-templates';

/**
 * Copies of the real synthesized templates, one deliberate hole each: every one must fail the gate
 * with the path that the hole opens.
 */
async function failures(templates: ReturnType<typeof withHole>): Promise<string[]> {
  const report = await buildAccessReport({ model, templates, expected });
  expect(report.exitCode).toBe(EXIT.violation);
  // A principal with several roles (a sink and its tables' maintenance) reports as <principal>/<role>;
  // the holes below concern the principal.
  return report.findings
    .filter((f) => f.status !== 'acknowledged')
    .map((f) => f.path.replace(/^(sink-\w+)\/\w+ →/, '$1 →'));
}

const mnpiRawObjects = (r: Record<string, CfnResource>) => ({
  'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalIdOf(r, 'ZonemnpiRawBucket'), 'Arn'] }, '/*']],
});

describe.each(['dev', 'prod'])('holes in the %s templates fail the gate', (env) => {
  it('a data-analyst policy allowing s3:GetObject on the MNPI raw bucket', async () => {
    const paths = await failures(
      withHole(env, (r) => {
        statementsOf(resourceNamed(r, 'QuerydataanalystsHumanRoleDefaultPolicy')).push({
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: mnpiRawObjects(r),
        });
      }),
    );
    expect(paths).toContain('data-analysts → s3:GetObject on bucket:ZonemnpiRawBucket (without MFA)');
  });

  it("the MNPI key's allow-list deny removed", async () => {
    const paths = await failures(
      withHole(env, (r) => {
        const statements = statementsOf(resourceNamed(r, 'ZonemnpiKey'), 'KeyPolicy') as { Sid?: string }[];
        statements.splice(
          statements.findIndex((s) => s.Sid === 'DenyUseByRolesNotClearedForZone'),
          1,
        );
      }),
    );
    expect(paths).toEqual(
      expect.arrayContaining([
        'account-admin → kms:Decrypt on key:ZonemnpiKey (without MFA)',
        'account-admin → s3:GetObject + kms:Decrypt on bucket:ZonemnpiRawBucket (without MFA)',
        'broad-data-user → kms:Decrypt on key:ZonemnpiKey (without MFA)',
      ]),
    );
  });

  it('a wildcard principal in an MNPI bucket policy', async () => {
    const paths = await failures(
      withHole(env, (r) => {
        statementsOf(resourceNamed(r, 'ZonemnpiRawBucketPolicy')).push({
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 's3:GetObject',
          Resource: mnpiRawObjects(r),
        });
      }),
    );
    expect(paths).toEqual(
      expect.arrayContaining([
        'data-analysts → s3:GetObject on bucket:ZonemnpiRawBucket (without MFA)',
        'sink-public → s3:GetObject on bucket:ZonemnpiRawBucket (without MFA)',
      ]),
    );
  });

  it('an MNPI-capable Athena workgroup whose results land in a public bucket', async () => {
    const paths = await failures(
      withHole(env, (r) => {
        const wg = resourceNamed(r, 'QueryfinanceanalystsWorkgroupWorkGroup');
        const result = (
          wg.Properties.WorkGroupConfiguration as { ResultConfiguration: { OutputLocation: unknown } }
        ).ResultConfiguration;
        result.OutputLocation = {
          'Fn::Join': [
            '',
            ['s3://', { Ref: logicalIdOf(r, 'ZonepublicQueryResultsBucket') }, '/lakewall-finance-analysts/'],
          ],
        };
      }),
    );
    expect(paths).toContainEqual(
      expect.stringMatching(
        /^MNPI-capable workgroup lakewall-finance-analysts writes its results to ZonepublicQueryResultsBucket \(classified public\), not an MNPI bucket/,
      ),
    );
  });

  it('a task role with kms:Decrypt on * and s3:GetObject on the MNPI raw bucket', async () => {
    const paths = await failures(
      withHole(env, (r) => {
        statementsOf(resourceNamed(r, 'SinksinkpublicrawRoleDefaultPolicy')).push(
          { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' },
          { Effect: 'Allow', Action: 's3:GetObject', Resource: mnpiRawObjects(r) },
        );
      }),
    );
    // The object read is the hole the gate names; every key's allow-list (the alarms key's too)
    // stops the decrypt, so kms:Decrypt on * opens no key by itself.
    expect(paths).toContain('sink-public → s3:GetObject on bucket:ZonemnpiRawBucket (without MFA)');
    expect(paths.filter((p) => p.startsWith('sink-public → kms:Decrypt on key:'))).toEqual([]);
  });
});
