import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import { type AddressInfo, createServer } from 'node:net';
import { DefaultLogger, LogEntry, Runtime } from '@temporalio/worker';
import { ConfigError, loadConfig } from '../config';
import { createDataSource } from '../db/data-source';
import { createLogger, errorFields, LogLevel, typeOrmLogger } from '../infra/logger';
import { createMailer } from '../infra/mailer';
import { replyAddressKeys } from '../infra/reply-addresses';
import { SecretBox } from '../infra/secret-box';
import { sealWebhookSecrets } from '../infra/webhook-deliveries';
import { shutdownTracing, startTracing } from '../infra/tracing';
import { metricsToken, serveMetricsWithToken, workerMetricsPort } from '../infra/metrics';
import { createWorker } from './create-worker';
import { workflowBundlePath } from './workflow-bundles';
import { startLostDecisionReconciler } from './lost-decision-reconciler';
import { startPaymentEventDispatcher } from './payment-event-dispatcher';
import { reconcileSchedules } from './reconcile-schedules';
import { startWebhookDispatcher } from './webhook-dispatcher';

/**
 * The worker process. Temporal's runtime turns SIGINT/SIGTERM into a graceful shutdown: the worker stops
 * polling, lets running activities finish, and `run()` resolves; then the database pool closes.
 */
const logger = createLogger('relance-worker');
const LEVELS: Record<string, LogLevel> = { TRACE: 'debug', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/** True when nothing listens on the port yet (a second worker on one machine finds the first one's exporter there). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '0.0.0.0', () => probe.close(() => resolve(true)));
  });
}

/** A port nothing listens on, on the loopback interface. */
function loopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The SDK runtime's own metrics (task slots, poll and schedule-to-start latencies, workflow task failures, activity
 * outcomes, sticky cache) on GET /metrics of WORKER_METRICS_PORT, by the Core's Prometheus exporter. Installed before
 * any connection: the runtime is created once per process. With METRICS_TOKEN the exporter listens on loopback only,
 * and WORKER_METRICS_PORT is a server that asks for the token before it relays the exporter's answer.
 */
async function installTelemetry(): Promise<void> {
  const port = workerMetricsPort();
  const token = metricsToken();
  const free = await portFree(port);
  const exporter = free && token ? `127.0.0.1:${await loopbackPort()}` : `0.0.0.0:${port}`;
  // The SDK's lines (worker state, workflow and activity logs, with workflowId and runId in their meta) as JSON lines.
  const sdkLogger = new DefaultLogger('INFO', (entry: LogEntry) => logger.log(LEVELS[entry.level] ?? 'info', entry.message, entry.meta));
  Runtime.install({
    logger: sdkLogger,
    telemetryOptions: free
      ? { metrics: { prometheus: { bindAddress: exporter, countersTotalSuffix: true, useSecondsForDurations: true } } }
      : {},
  });
  if (!free) {
    logger.warn(`[worker] WORKER_METRICS_PORT ${port} is in use: this worker serves no /metrics (give each worker a port of its own)`);
    return;
  }
  if (token) {
    try {
      await serveMetricsWithToken({ port, exporterPort: Number(exporter.split(':')[1]), token });
    } catch (err) {
      logger.warn(`[worker] WORKER_METRICS_PORT ${port} could not be opened: this worker serves no /metrics`, errorFields(err));
      return;
    }
  }
  logger.info(`[worker] metrics on http://0.0.0.0:${port}/metrics${token ? ' (Authorization: Bearer <METRICS_TOKEN>)' : ''}`, { port });
}

async function main(): Promise<void> {
  const config = loadConfig();
  await installTelemetry();
  const dataSource = createDataSource(config.databaseUrl, undefined, typeOrmLogger(logger));
  await dataSource.initialize();
  const secrets = new SecretBox(config.secretKeys);
  // Before any delivery is attempted: each one opens its endpoint's sealed secret.
  const sealed = await sealWebhookSecrets(dataSource, secrets);
  if (sealed > 0) logger.info(`[worker] sealed the webhook secrets of ${sealed} endpoint(s) under key "${config.secretKeys[0].id}"`);
  const mailer = createMailer(config.smtpUrl, config.mailFrom);
  const tracing = startTracing('relance-worker');
  const tracedBundle = workflowBundlePath({ traced: true, encrypted: config.payloadKeys.length > 0 });
  const traced = tracing
    ? {
      plugins: [new OpenTelemetryPlugin({ resource: tracing.resource, spanProcessor: tracing.spanProcessor })],
      ...(existsSync(tracedBundle) ? { workflowBundle: { codePath: tracedBundle } } : {}),
    }
    : {};
  const { worker, connection } = await createWorker(config, {
    dataSource, mailer, publicUrl: config.publicUrl, faultInject: process.env.RELANCE_FAULT_INJECT, webhookAllowPrivate: config.webhooks.allowPrivate,
    secrets,
    replyAddresses: replyAddressKeys(config),
  }, traced);
  logger.info(`[worker] polling task queue "${config.taskQueue}" on ${config.temporalAddress} (${config.temporalNamespace})`);
  if (process.env.RELANCE_RECONCILE_SCHEDULES !== 'false') {
    // In the background: polling must not wait for it, and a failure is repaired at the next start.
    reconcileSchedules(config, dataSource).then(
      (r) => logger.info(`[worker] reconciled reminder schedules: created ${r.created.length}, resumed ${r.resumed.length}, ` +
        `updated ${r.updated.length}, paused ${r.paused.length}, deleted ${r.deleted.length}`),
      (err: Error) => logger.error(`[worker] reconciling reminder schedules failed: ${err.message}`),
    );
  }
  const dispatcher = startPaymentEventDispatcher(config, dataSource, {
    intervalMs: Number(process.env.RELANCE_PAYMENT_DISPATCH_INTERVAL_MS ?? 15_000),
    minAgeMs: Number(process.env.RELANCE_PAYMENT_DISPATCH_MIN_AGE_MS ?? 10_000),
  }, logger);
  // 0 leaves this worker out of dispatching (another worker on the same database does it).
  const webhookDispatcher = config.webhooks.dispatchIntervalMs > 0 ? startWebhookDispatcher(config, dataSource, logger) : null;
  const lostDecisions = startLostDecisionReconciler(config, dataSource, logger);
  try {
    await worker.run();
  } finally {
    try {
      await webhookDispatcher?.stop();
      await lostDecisions.stop();
      await dispatcher.stop();
      await connection.close();
      mailer.close();
      await dataSource.destroy();
    } finally {
      await shutdownTracing(logger);
    }
    logger.info('[worker] stopped');
  }
}

main().catch(async (err: Error) => {
  if (err instanceof ConfigError) logger.error(`[worker] configuration error: ${err.message}`);
  else logger.error('[worker] failed', errorFields(err));
  await shutdownTracing(logger);
  process.exit(1);
});
