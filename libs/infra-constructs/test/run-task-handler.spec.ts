import * as path from 'node:path';
import { RUN_TASK_HANDLER_DIR } from '../src/ecs/run-task-on-deploy';

// The handlers' pure part, exactly the file the Lambda runs (plain JavaScript, no build step).
const logic = require(path.join(RUN_TASK_HANDLER_DIR, 'logic.js')) as {
  runTaskInput: (props: Record<string, unknown>, requestId: string) => Record<string, unknown>;
  startedTask: (response: unknown) => string;
  taskOutcome: (
    response: unknown,
    taskArn: string,
    container: string,
  ) => { state: string; reason?: string; exitCode?: number };
};

const props = {
  Cluster: 'arn:aws:ecs:eu-west-1:123456789012:cluster/c',
  TaskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/t:7',
  ContainerName: 'Main',
  Command: ['apply'],
  Subnets: ['subnet-1', 'subnet-2'],
  SecurityGroups: ['sg-1'],
  Trigger: { Model: 'f00' },
};
const arn = 'arn:aws:ecs:eu-west-1:123456789012:task/c/1';
const stopped = (exitCode: number | undefined, extra: Record<string, unknown> = {}) => ({
  tasks: [{ taskArn: arn, lastStatus: 'STOPPED', containers: [{ name: 'Main', exitCode }], ...extra }],
  failures: [],
});

describe('run-task handler logic', () => {
  it('runs the task on Fargate in the given subnets and group, no public IP, with the explicit command', () => {
    expect(logic.runTaskInput(props, 'req-1')).toEqual({
      cluster: props.Cluster,
      taskDefinition: props.TaskDefinition,
      launchType: 'FARGATE',
      count: 1,
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: ['subnet-1', 'subnet-2'],
          securityGroups: ['sg-1'],
          assignPublicIp: 'DISABLED',
        },
      },
      overrides: { containerOverrides: [{ name: 'Main', command: ['apply'] }] },
      startedBy: 'cloudformation-deploy',
      clientToken: 'req-1',
    });
  });

  it('refuses properties it cannot run safely', () => {
    expect(() => logic.runTaskInput({ ...props, Command: [] }, 'r')).toThrow(/Command/);
    expect(() => logic.runTaskInput({ ...props, Subnets: undefined }, 'r')).toThrow(/Subnets/);
    expect(() => logic.runTaskInput({ ...props, Cluster: '' }, 'r')).toThrow(/Cluster/);
  });

  it("reports RunTask's failures instead of a task", () => {
    expect(logic.startedTask({ tasks: [{ taskArn: arn }], failures: [] })).toBe(arn);
    expect(() =>
      logic.startedTask({ tasks: [], failures: [{ reason: 'RESOURCE:ENI', detail: 'no ENI' }] }),
    ).toThrow('RunTask started no task: RESOURCE:ENI (no ENI)');
  });

  it('waits while the task is not STOPPED', () => {
    for (const lastStatus of ['PROVISIONING', 'PENDING', 'RUNNING', 'DEPROVISIONING']) {
      expect(logic.taskOutcome({ tasks: [{ taskArn: arn, lastStatus }] }, arn, 'Main')).toEqual({
        state: 'running',
      });
    }
  });

  it('succeeds only when the essential container exited 0', () => {
    expect(logic.taskOutcome(stopped(0), arn, 'Main')).toEqual({ state: 'succeeded', exitCode: 0 });
    const failed = logic.taskOutcome(stopped(4, { stopCode: 'EssentialContainerExited' }), arn, 'Main');
    expect(failed).toMatchObject({ state: 'failed', exitCode: 4 });
    expect(failed.reason).toMatch(/Main exited 4 \(EssentialContainerExited\)/);
  });

  it('fails a task that stopped without an exit code (image pull, ENI, timeout) or cannot be found', () => {
    const pull = logic.taskOutcome(
      stopped(undefined, { stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError' }),
      arn,
      'Main',
    );
    expect(pull.state).toBe('failed');
    expect(pull.reason).toMatch(/TaskFailedToStart: CannotPullContainerError/);
    expect(logic.taskOutcome({ tasks: [], failures: [{ reason: 'MISSING' }] }, arn, 'Main')).toEqual({
      state: 'failed',
      reason: 'DescribeTasks: MISSING',
    });
    expect(logic.taskOutcome({ tasks: [] }, arn, 'Main').state).toBe('failed');
  });
});
