import { undeclaredTopicFindings } from '../src';
import { rules } from './fixtures';

describe('undeclared topics', () => {
  it('reports topics under the managed prefix the model does not declare, and nothing else', () => {
    const findings = undeclaredTopicFindings(
      [
        'cdc.market_data.public',
        'cdc.trades.mnpi',
        'cdc.shadow_book.public',
        '_lakewall.connect.configs',
        'other',
      ],
      rules,
    );
    expect(findings).toEqual([
      {
        kind: 'undeclared_topic',
        topic: 'cdc.shadow_book.public',
        table: 'unknown',
        reason: 'a topic under the managed prefix that the model does not declare',
      },
    ]);
  });
});
