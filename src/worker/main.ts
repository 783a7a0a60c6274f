import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config';
import { createDataSource } from '../db/data-source';
import { createMailer } from '../infra/mailer';
import { createWorker } from './create-worker';
import { startPaymentEventDispatcher } from './payment-event-dispatcher';
import { reconcileSchedules } from './reconcile-schedules';

/**
 * The worker process. Temporal's runtime turns SIGINT/SIGTERM into a graceful shutdown: the worker stops
 * polling, lets running activities finish, and `run()` resolves; then the database pool closes.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const dataSource = createDataSource(config.databaseUrl);
  await dataSource.initialize();
  const mailer = createMailer(config.smtpUrl, config.mailFrom);
  const { worker, connection } = await createWorker(config, { dataSource, mailer, faultInject: process.env.RELANCE_FAULT_INJECT });
  console.log(`[worker] polling task queue "${config.taskQueue}" on ${config.temporalAddress} (${config.temporalNamespace})`);
  if (process.env.RELANCE_RECONCILE_SCHEDULES !== 'false') {
    // In the background: polling must not wait for it, and a failure is repaired at the next start.
    reconcileSchedules(config, dataSource).then(
      (r) => console.log(`[worker] reconciled reminder schedules: created ${r.created.length}, resumed ${r.resumed.length}, ` +
        `updated ${r.updated.length}, paused ${r.paused.length}, deleted ${r.deleted.length}`),
      (err: Error) => console.error(`[worker] reconciling reminder schedules failed: ${err.message}`),
    );
  }
  const dispatcher = startPaymentEventDispatcher(config, dataSource, {
    intervalMs: Number(process.env.RELANCE_PAYMENT_DISPATCH_INTERVAL_MS ?? 15_000),
    minAgeMs: Number(process.env.RELANCE_PAYMENT_DISPATCH_MIN_AGE_MS ?? 10_000),
  });
  try {
    await worker.run();
  } finally {
    await dispatcher.stop();
    await connection.close();
    mailer.close();
    await dataSource.destroy();
    console.log('[worker] stopped');
  }
}

main().catch((err: Error) => {
  console.error(err instanceof ConfigError ? `[worker] configuration error: ${err.message}` : err);
  process.exit(1);
});
