import { loadPlatformModel } from '@lakewall/platform-model';
import { ApplyFailedError, applyModel, type ApplyReport } from '@lakewall/topic-admin';
import { applyTopicsAndAcls, TopicBootstrapError } from './topic-bootstrap';

jest.mock('@lakewall/topic-admin', () => ({
  ...jest.requireActual('@lakewall/topic-admin'),
  applyModel: jest.fn(),
}));
const apply = applyModel as jest.MockedFunction<typeof applyModel>;

const model = loadPlatformModel();
const kafka = { brokers: ['127.0.0.1:1'] };

describe('applyTopicsAndAcls', () => {
  it("applies the model for the local environment with topic-admin's engine", async () => {
    apply.mockResolvedValueOnce({ outcome: 'no-changes', steps: [] } as unknown as ApplyReport);
    const log = jest.fn();
    await applyTopicsAndAcls(model, kafka, log);
    expect(apply).toHaveBeenCalledWith({ model, env: 'local', kafka });
    expect(log).toHaveBeenCalledWith('topics and ACLs applied: no-changes (0 change(s))');
  });
  it('surfaces a failed apply with what was not done', async () => {
    const report = {
      outcome: 'partial-failure',
      steps: [
        {
          status: 'failed',
          operation: 'create-topic',
          target: 'cdc.trades.mnpi',
          error: 'TOPIC_AUTHORIZATION_FAILED',
        },
      ],
    } as unknown as ApplyReport;
    apply.mockRejectedValueOnce(new ApplyFailedError(report));
    const err = await applyTopicsAndAcls(model, kafka, () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TopicBootstrapError);
    expect((err as Error).message).toMatch(
      /^applying the platform model's topics and ACLs to the local Kafka failed: apply incomplete: 0 of 1 steps done/,
    );
    expect((err as Error).message).toContain(
      'failed create-topic cdc.trades.mnpi: TOPIC_AUTHORIZATION_FAILED',
    );
    expect((err as Error).cause).toBeInstanceOf(ApplyFailedError);
  });
});
