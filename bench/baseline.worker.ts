/**
 * The baseline worker of `npm run bench:approvals`, a process of its own like the product's worker: it bundles only
 * bench/baseline.workflows and polls BENCH_TASK_QUEUE on the same Temporal server, with the same-work baseline's
 * activities on the bench's Postgres and SMTP listener.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Pool } from 'pg';
import { createBaselineActivities } from './baseline.activities';
import { need, temporalOptions } from './env';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const taskQueue = need('BENCH_TASK_QUEUE');
  const connection = await NativeConnection.connect(temporalOptions());
  const pool = new Pool({ connectionString: need('DATABASE_URL'), max: 10 });
  const { close, ...activities } = createBaselineActivities(pool, need('SMTP_URL'));
  const worker = await Worker.create({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue,
    workflowsPath: require.resolve('./baseline.workflows'),
    activities,
  });
  console.log(`[baseline-worker] polling task queue "${taskQueue}"`);
  try {
    await worker.run();
  } finally {
    await connection.close();
    close();
    await pool.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
