import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import { Config, DEFAULT_WORKER_LIMITS, WorkerLimits } from '../config';
import { ActivityDeps, createActivities } from '../activities';
import { payloadDataConverter } from '../infra/payload-codec';
import { describeTemporalAccess, temporalConnectionOptions } from '../infra/temporal-connection';
import { sharedWorkflowModules, workflowBundlePath } from './workflow-bundles';

/** The worker's connection; a refusal (a TLS handshake, a missing credential) says where and how it tried. */
export async function connectWorker(config: Parameters<typeof temporalConnectionOptions>[0]): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect(temporalConnectionOptions(config));
  } catch (err) {
    throw new Error(`cannot connect to Temporal at ${describeTemporalAccess(config)}: ${(err as Error).message}`, { cause: err });
  }
}

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
  config: Pick<Config, 'temporalAddress' | 'temporalNamespace' | 'taskQueue'> & Partial<Pick<Config, 'worker' | 'temporalTls' | 'temporalApiKey' | 'payloadKeys'>>,
  deps: ActivityDeps,
  overrides: Partial<WorkerOptions> = {},
): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await connectWorker(config);
  const dataConverter = payloadDataConverter(config.payloadKeys);
  const bundle = workflowBundlePath({ traced: false, encrypted: dataConverter !== undefined });
  // From source, the SDK bundles the data converter's failure converter in.
  const workflowsPath = require.resolve('../workflows');
  // A worker with plugins (the tracing one, whose interceptors keep per-run state in shared modules) shares no module.
  const workflowSource = existsSync(bundle)
    ? { workflowBundle: { codePath: bundle } }
    : { workflowsPath, bundlerOptions: sharedWorkflowModules(workflowsPath, { traced: (overrides.plugins ?? []).length > 0 }) };
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    dataConverter,
    activities: createActivities(deps),
    // A replacement worker picks up a dead worker's workflows after this, instead of Temporal's default 10 s.
    stickyQueueScheduleToStartTimeout: '3 seconds',
    ...workerLimitOptions(config.worker ?? DEFAULT_WORKER_LIMITS),
    ...workflowSource,
    ...overrides,
  });
  return { worker, connection };
}
