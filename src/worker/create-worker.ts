import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Config, DEFAULT_WORKER_LIMITS, WorkerLimits } from '../config';
import { ActivityDeps, createActivities } from '../activities';

export const WORKFLOW_BUNDLE_PATH = path.join(__dirname, '..', 'workflow-bundle.js');

/** The worker's budget as Temporal WorkerOptions: the workflow cache and the task slots (see WorkerLimits). */
export function workerLimitOptions(limits: WorkerLimits): Partial<WorkerOptions> {
  return {
    maxCachedWorkflows: limits.maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: limits.maxConcurrentWorkflowTaskExecutions,
    maxConcurrentActivityTaskExecutions: limits.maxConcurrentActivityTaskExecutions,
    maxConcurrentLocalActivityExecutions: limits.maxConcurrentLocalActivityExecutions,
    maxTaskQueueActivitiesPerSecond: limits.maxTaskQueueActivitiesPerSecond,
  };
}

/** The worker, with the pre-built workflow bundle when there is one (dist/), else bundled from source. */
export async function createWorker(
  config: Pick<Config, 'temporalAddress' | 'temporalNamespace' | 'taskQueue'> & Partial<Pick<Config, 'worker'>>,
  deps: ActivityDeps,
  overrides: Partial<WorkerOptions> = {},
): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const workflowSource = existsSync(WORKFLOW_BUNDLE_PATH)
    ? { workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH } }
    : { workflowsPath: require.resolve('../workflows') };
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    activities: createActivities(deps),
    // A replacement worker picks up a dead worker's workflows after this, instead of Temporal's default 10 s.
    stickyQueueScheduleToStartTimeout: '3 seconds',
    ...workerLimitOptions(config.worker ?? DEFAULT_WORKER_LIMITS),
    ...workflowSource,
    ...overrides,
  });
  return { worker, connection };
}
