'use strict';
/**
 * The pure part of the run-task-on-deploy custom resource (no SDK, unit-tested in the repository):
 * the RunTask input built from the resource's properties, and the verdict on a DescribeTasks response.
 * Plain JavaScript: the Lambda runs this directory as it is, with no bundling step.
 */

/**
 * @param {Record<string, unknown>} props the custom resource's properties (strings and string lists)
 * @param {string} requestId CloudFormation's request id: RunTask's client token, so a retried
 *   invocation of the same request does not start a second task
 */
function runTaskInput(props, requestId) {
  const list = (name) => {
    const v = props[name];
    if (!Array.isArray(v) || v.length === 0 || v.some((s) => typeof s !== 'string' || !s)) {
      throw new Error(`property ${name} must be a non-empty list of strings`);
    }
    return v;
  };
  const text = (name) => {
    const v = props[name];
    if (typeof v !== 'string' || !v) throw new Error(`property ${name} must be a non-empty string`);
    return v;
  };
  return {
    cluster: text('Cluster'),
    taskDefinition: text('TaskDefinition'),
    launchType: 'FARGATE',
    count: 1,
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: list('Subnets'),
        securityGroups: list('SecurityGroups'),
        assignPublicIp: 'DISABLED',
      },
    },
    overrides: { containerOverrides: [{ name: text('ContainerName'), command: list('Command') }] },
    startedBy: 'cloudformation-deploy',
    clientToken: String(requestId).slice(0, 64),
  };
}

/** The started task's ARN, or an error with RunTask's own failure reasons. */
function startedTask(response) {
  const failures = (response && response.failures) || [];
  const task = response && response.tasks && response.tasks[0];
  if (failures.length || !task || !task.taskArn) {
    const why = failures.map((f) => `${f.reason || 'unknown'}${f.detail ? ` (${f.detail})` : ''}`).join('; ');
    throw new Error(`RunTask started no task: ${why || 'no task in the response'}`);
  }
  return task.taskArn;
}

/**
 * The verdict on one task: 'running' until it has STOPPED; then 'succeeded' only if the essential
 * container exited 0, else 'failed' with the reason (exit code, stop code, ECS's stopped reason).
 * @returns {{ state: 'running' | 'succeeded' | 'failed', reason?: string, exitCode?: number }}
 */
function taskOutcome(response, taskArn, containerName) {
  const failure = ((response && response.failures) || [])[0];
  if (failure) return { state: 'failed', reason: `DescribeTasks: ${failure.reason || 'unknown'}` };
  const task = ((response && response.tasks) || []).find((t) => t.taskArn === taskArn);
  if (!task) return { state: 'failed', reason: `task ${taskArn} not found` };
  if (task.lastStatus !== 'STOPPED') return { state: 'running' };
  const container = (task.containers || []).find((c) => c.name === containerName);
  const stopped = [task.stopCode, task.stoppedReason].filter(Boolean).join(': ');
  if (!container || typeof container.exitCode !== 'number') {
    const why = [stopped, container && container.reason].filter(Boolean).join('; ');
    return {
      state: 'failed',
      reason: `task ${taskArn} stopped without an exit code of ${containerName} (${why || 'no reason given'})`,
    };
  }
  if (container.exitCode !== 0) {
    return {
      state: 'failed',
      exitCode: container.exitCode,
      reason: `task ${taskArn}: ${containerName} exited ${container.exitCode}${stopped ? ` (${stopped})` : ''}; see the task's log group`,
    };
  }
  return { state: 'succeeded', exitCode: 0 };
}

module.exports = { runTaskInput, startedTask, taskOutcome };
