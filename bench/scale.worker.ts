/**
 * The pending-approvals worker of `npm run bench:scale`, a process of its own so that its memory is measured alone:
 * the product's workflow bundle (the real invoiceApproval) under the product's worker budget (WORKER_* variables,
 * src/config.ts), with activities that answer at once instead of writing tasks and sending emails. An approval's
 * memory while it waits is its workflow state in the cache; the activities are gone once they return.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import path from 'node:path';
import type { ApprovalActivities } from '../src/contracts';
import { loadConfig } from '../src/config';
import { temporalConnectionOptions } from '../src/infra/temporal-connection';
import { workerLimitOptions } from '../src/worker/create-worker';

function instantActivities(): ApprovalActivities {
  return {
    markPending: async () => undefined,
    openApprovalTasks: async (input) => ({ opened: input.approverIds.length }),
    notifyApprovalRequested: async (input) => ({ notified: input.userIds.length }),
    recordDecision: async () => undefined,
    remindApprovers: async (input) => ({ reminded: input.approverIds.length }),
    completeApproval: async () => ({ applied: true }),
    cancelApproval: async () => undefined,
    openApprovalStep: async (input) => ({ opened: input.approverIds.length }),
    settleDecision: async () => ({ applied: true }),
    notifyApprovalOutcome: async (input) => ({ notified: input.notifyUserIds.length + 1 }),
    escalateApproval: async () => ({ notified: 1 }),
    moveApprovalRequests: async (input) => ({ moved: input.moves.length }),
  };
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const config = loadConfig();
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    workflowBundle: { codePath: path.resolve(__dirname, '..', '..', 'dist', 'workflow-bundle.js') },
    activities: instantActivities(),
    ...workerLimitOptions(config.worker),
  });
  console.log(`[pending-worker] polling task queue "${config.taskQueue}" (cache ${config.worker.maxCachedWorkflows} workflows)`);
  try {
    await worker.run();
  } finally {
    await connection.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
