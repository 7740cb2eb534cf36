'use strict';
/**
 * Custom resource handlers (custom-resources Provider framework) that run a one-shot ECS task on
 * every Create and Update of the resource and fail the CloudFormation operation unless it exits 0.
 * Delete does nothing: a task already ran, and nothing it did is undone by removing the resource.
 * The Node.js 20 Lambda runtime provides the AWS SDK v3.
 */
const { ECSClient, RunTaskCommand, DescribeTasksCommand } = require('@aws-sdk/client-ecs');
const { runTaskInput, startedTask, taskOutcome } = require('./logic');

const ecs = new ECSClient({});

exports.onEvent = async (event) => {
  const physicalId = event.PhysicalResourceId || `run-task-${event.LogicalResourceId}`;
  if (event.RequestType === 'Delete') return { PhysicalResourceId: physicalId };
  const taskArn = startedTask(
    await ecs.send(new RunTaskCommand(runTaskInput(event.ResourceProperties, event.RequestId))),
  );
  console.log(JSON.stringify({ started: taskArn, request: event.RequestType }));
  return { PhysicalResourceId: physicalId, Data: { TaskArn: taskArn } };
};

exports.isComplete = async (event) => {
  if (event.RequestType === 'Delete') return { IsComplete: true };
  const taskArn = event.Data && event.Data.TaskArn;
  if (!taskArn) throw new Error('no task was started for this request');
  const props = event.ResourceProperties;
  const response = await ecs.send(new DescribeTasksCommand({ cluster: props.Cluster, tasks: [taskArn] }));
  const outcome = taskOutcome(response, taskArn, props.ContainerName);
  if (outcome.state === 'running') return { IsComplete: false };
  console.log(JSON.stringify({ task: taskArn, outcome: outcome.state, exitCode: outcome.exitCode }));
  // Thrown, the reason becomes the resource's status reason and the deploy fails (and rolls back).
  if (outcome.state === 'failed') throw new Error(outcome.reason);
  return { IsComplete: true, Data: { TaskArn: taskArn } };
};
