/**
 * The baseline worker of `npm run bench:approvals`, a process of its own like the product's worker: it bundles only
 * bench/baseline.workflows and polls BENCH_TASK_QUEUE on the same Temporal server.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const taskQueue = process.env.BENCH_TASK_QUEUE;
  if (!taskQueue || !process.env.TEMPORAL_ADDRESS) throw new Error('BENCH_TASK_QUEUE and TEMPORAL_ADDRESS must be set (bench/approvals.ts sets them)');
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue,
    workflowsPath: require.resolve('./baseline.workflows'),
  });
  console.log(`[baseline-worker] polling task queue "${taskQueue}"`);
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
