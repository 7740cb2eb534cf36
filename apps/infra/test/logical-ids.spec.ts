import { buildAll, CLOUD_ENVIRONMENTS } from './fixtures';

/**
 * Resources whose replacement loses data or history. Several logical ids derive from names in the
 * platform model (Glue databases and tables, query roles): renaming one in the YAML makes
 * CloudFormation replace the resource. This snapshot makes such a change visible in review; the
 * rename procedure is in the README ("Renaming things in the model").
 */
const STATEFUL_TYPES = [
  'AWS::S3::Bucket',
  'AWS::KMS::Key',
  'AWS::RDS::DBInstance',
  'AWS::Backup::BackupVault',
  'AWS::Glue::Database',
  'AWS::Glue::Table',
  'AWS::Logs::LogGroup',
  'AWS::CloudTrail::Trail',
  'AWS::Athena::WorkGroup',
];

describe.each(CLOUD_ENVIRONMENTS)('logical ids in %s', (env) => {
  it('of stateful resources stay what they were (update the snapshot only for a planned replacement)', () => {
    const resources = buildAll().templates.get(env)!.toJSON().Resources as Record<string, { Type: string }>;
    const stateful = Object.entries(resources)
      .filter(([, r]) => STATEFUL_TYPES.includes(r.Type))
      .map(([id, r]) => `${r.Type} ${id}`)
      .sort();
    expect(stateful).toMatchSnapshot();
  });
});
