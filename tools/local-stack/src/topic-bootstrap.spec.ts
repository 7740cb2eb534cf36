import { interpretApply, TopicBootstrapError } from './topic-bootstrap';

describe('interpretApply (the bootstrapper CLI envelope)', () => {
  it('summarises a successful apply', () => {
    const out = JSON.stringify({
      exitCode: 0,
      status: 'in-sync',
      apply: {
        outcome: 'applied',
        steps: [{ status: 'done', operation: 'createTopics', target: 'cdc.trades.mnpi' }],
      },
    });
    expect(interpretApply(out, '', 0)).toBe('topics and ACLs applied: applied (1 change(s))');
  });

  it('surfaces a failed apply with what was not done', () => {
    const out = JSON.stringify({
      exitCode: 1,
      status: 'error',
      apply: {
        outcome: 'partial-failure',
        steps: [
          {
            status: 'failed',
            operation: 'createTopics',
            target: 'cdc.trades.mnpi',
            error: 'TOPIC_AUTHORIZATION_FAILED',
          },
        ],
      },
    });
    const run = () => interpretApply(out, '', 1);
    expect(run).toThrow(TopicBootstrapError);
    expect(run).toThrow(/exit 1, error, partial-failure/);
    expect(run).toThrow(/failed createTopics cdc\.trades\.mnpi: TOPIC_AUTHORIZATION_FAILED/);
  });

  it('names live policy violations', () => {
    const out = JSON.stringify({
      exitCode: 4,
      status: 'policy-violation',
      violations: [{ kind: 'escalation', message: 'User:x can grant itself access' }],
      apply: { outcome: 'applied', steps: [] },
    });
    expect(() => interpretApply(out, '', 4)).toThrow(
      /POLICY VIOLATION \[escalation\]: User:x can grant itself access/,
    );
  });

  it('reports a crash without JSON with the end of stderr', () => {
    expect(() => interpretApply('', 'boom\nat somewhere', 1)).toThrow(
      /exited 1 without a JSON report:\nboom/,
    );
  });
});
