import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config';
import { createDataSource } from '../db/data-source';
import { createMailer } from '../activities/mailer';
import { createWorker } from './create-worker';

/**
 * The worker process. Temporal's runtime turns SIGINT/SIGTERM into a graceful shutdown: the worker stops
 * polling, lets running activities finish, and `run()` resolves; then the database pool closes.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const dataSource = createDataSource(config.databaseUrl);
  await dataSource.initialize();
  const mailer = createMailer(config.smtpUrl, config.mailFrom);
  const { worker, connection } = await createWorker(config, { dataSource, mailer });
  console.log(`[worker] polling task queue "${config.taskQueue}" on ${config.temporalAddress} (${config.temporalNamespace})`);
  try {
    await worker.run();
  } finally {
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
